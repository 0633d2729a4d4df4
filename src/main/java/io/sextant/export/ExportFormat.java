package io.sextant.export;

import java.util.Arrays;
import java.util.Optional;

/** What an export is written as: its name in the API, media type and file name extension. */
public enum ExportFormat {
    /** One GeoJSON (RFC 7946) FeatureCollection of Point features. */
    GEOJSON("geojson", "application/geo+json", "geojson"),
    /** GeoJSON text sequences (RFC 8142): each Point feature after RS (0x1E), ended by LF. */
    GEOJSONSEQ("geojsonseq", "application/geo+json-seq", "geojsons"),
    /** CSV (RFC 4180) with a header row, CRLF line ends, UTF-8. */
    CSV("csv", "text/csv; charset=utf-8; header=present", "csv");

    private final String id;
    private final String mediaType;
    private final String extension;

    ExportFormat(String id, String mediaType, String extension) {
        this.id = id;
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String id() {
        return id;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    public static Optional<ExportFormat> fromId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }
}
