package io.sextant.tracking.web;

import io.sextant.tracking.IngestReceipt;
import io.sextant.tracking.PositionIngest;
import io.sextant.tracking.PositionReport;
import io.sextant.tracking.TrackingProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/positions")
@Tag(name = "Positions", description = "Ingest of time-stamped positions")
class PositionIngestController {

    static final String NDJSON = "application/x-ndjson";
    static final String GEOJSON = "application/geo+json";

    private final PositionIngest ingest;
    private final TrackingProperties properties;

    PositionIngestController(PositionIngest ingest, TrackingProperties properties) {
        this.ingest = ingest;
        this.properties = properties;
    }

    @PostMapping(consumes = "application/json")
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(summary = "Ingest a JSON array of positions; answers once they are durable, with each item's outcome")
    IngestReceipt json(HttpServletRequest request) throws IOException {
        return ingest(PositionFormats.jsonArray(request.getInputStream(), properties.maxBatchPositions()));
    }

    @PostMapping(consumes = NDJSON)
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(summary = "Ingest newline-delimited JSON positions, read as a stream")
    IngestReceipt ndjson(HttpServletRequest request) throws IOException {
        return ingest(PositionFormats.ndjson(request.getInputStream(), properties.maxBatchPositions()));
    }

    @PostMapping(consumes = GEOJSON)
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(summary = "Ingest a GeoJSON FeatureCollection of Point features")
    IngestReceipt geoJson(HttpServletRequest request) throws IOException {
        return ingest(PositionFormats.geoJson(request.getInputStream(), properties.maxBatchPositions()));
    }

    private IngestReceipt ingest(List<PositionReport> reports) {
        return ingest.ingest(reports);
    }
}
