/**
 * OGC API – Features (Part 1: Core, GeoJSON): the collections other modules publish as {@link
 * io.sextant.shared.features.FeatureSource}s (zones, latest positions), served so that desktop GIS
 * clients (QGIS, GDAL's ogr2ogr) can read them with the caller's token and grants.
 */
@ApplicationModule(
        displayName = "OGC API Features",
        allowedDependencies = {"shared"})
@NullMarked
package io.sextant.ogc;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
