// Prometheus metrics of the endpoint (GET /metrics): requests and errors per model, stage latencies, tiles
// computed, batch sizes, queue depth.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export class EndpointMetrics {
  readonly registry = new Registry();
  readonly inferRequests = new Counter({ name: "edge_restore_infer_requests_total", help: "Inference requests", labelNames: ["model", "outcome"], registers: [this.registry] });
  readonly stageSeconds = new Histogram({
    name: "edge_restore_stage_seconds",
    help: "Pipeline stage latency",
    labelNames: ["model", "stage"],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 20, 40, 80],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: "edge_restore_batch_size",
    help: "Tiles per base-network batch (dynamic batching across requests)",
    labelNames: ["model"],
    buckets: [1, 2, 4, 8, 16, 32],
    registers: [this.registry],
  });
  readonly tiles = new Counter({
    name: "edge_restore_tiles_total",
    help: "Tiles computed by restore pipelines (base network and refiner)",
    labelNames: ["model"],
    registers: [this.registry],
  });
  readonly queueDepth: Gauge;
  readonly peakRss = new Gauge({
    name: "edge_restore_peak_rss_bytes",
    help: "Peak resident set size of this process",
    registers: [this.registry],
    collect() {
      this.set(process.resourceUsage().maxRSS * 1024);
    },
  });

  constructor(queueDepth: () => number) {
    this.queueDepth = new Gauge({
      name: "edge_restore_queue_depth",
      help: "Requests waiting for the model",
      registers: [this.registry],
      collect() {
        this.set(queueDepth());
      },
    });
  }
}
