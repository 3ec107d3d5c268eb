// Kubernetes latency and capacity over a trace (MODEL.md §5): a HorizontalPodAutoscaler
// with the upstream algorithm, pods that become ready after a start-up delay, nodes that a
// cluster autoscaler adds with a provisioning delay and removes after they idle, and the
// queueing each request meets.
//
// Time advances in HPA ticks (hpa_sync_s). Within a tick the ready pods change only when a
// pod becomes ready; between such events the servers c = ready pods × concurrency_per_pod
// are constant and serve the segment's mean arrival rate as an M/M/c queue (Erlang C
// through Erlang B), stretched by Allen-Cunneen for the service time's variability. Where
// a bin's arrivals exceed the servers' capacity the excess becomes a fluid backlog, carried
// bin to bin and growing or draining linearly within a bin; a request that arrives while
// it is non-zero waits backlog/capacity instead. Latency percentiles come from the
// mixture, weighted by requests, of T = wait + S over the whole window, S distributed as
// the service quantiles say. Queues are grouped by (servers, load within 3% of 1 − ρ) and
// backlog waits by 2%-wide buckets, which bounds the mixture's size.
//
// Modelling choices beyond MODEL.md, each stated where it applies below: the HPA sees the
// offered load λ·S (pods may burst past their CPU request while saturated); the starting
// state is steady (see initial_replicas); the scheduler packs pods perfectly onto nodes;
// pods are deleted pending first, then starting, then the newest ready.
//
// Pure: no I/O, no globals, no randomness (same input, same result); safe from any thread.
#pragma once

#include <cstdint>
#include <vector>

#include "placer/cost/kubernetes.hpp"
#include "placer/error.hpp"
#include "placer/sim/latency.hpp"
#include "placer/sim/sparse_bins.hpp"
#include "placer/trace.hpp"

namespace placer::sim {

// Request counts in consecutive bins of `bin_s` seconds from `start_s`: requests[i] arrived
// in [start_s + i·bin_s, start_s + (i + 1)·bin_s). Counts may be fractional (a scaled
// trace). Within a bin arrivals are spread evenly.
struct BinnedArrivals {
  double start_s = 0;
  double bin_s = 1;
  std::vector<double> requests;
};

// The service time of one request, by quantiles (ascending in q and value; the
// piecewise-linear distribution of placer::inverse_cdf), with its mean and squared
// coefficient of variation. The caller fills all three from the same data; the mean sets
// the servers' speed (μ = 1000/mean_ms per second), the scv the Allen-Cunneen stretch, and
// the quantiles the shape of T = wait + S.
struct ServiceTime {
  std::vector<Quantile> quantiles_ms;
  double mean_ms = 0;
  double scv = 1;  // 1: exponential; 0: constant
};

enum class HpaMetric {
  cpu_utilization,   // average CPU utilization of the pods' requests
  requests_per_pod,  // average requests per second per pod (a Pods metric)
};

// Every setting of the simulation, units in the names. Defaults are the upstream values
// (LATENCY_FACTS.md §3, §6); the caller loads placer's chosen values from models/ and
// overrides. Fields marked "no default" must be set.
struct KubernetesSimConfig {
  // HorizontalPodAutoscaler, kube-controller-manager and autoscaling/v2 defaults
  // (pkg/controller/podautoscaler/config/v1alpha1/defaults.go,
  // pkg/apis/autoscaling/v2/defaults.go).
  double hpa_sync_s = 15;                   // --horizontal-pod-autoscaler-sync-period
  double hpa_tolerance = 0.1;               // skip when |ratio − 1| ≤ tolerance
  int scale_up_pods = 4;                    // behavior.scaleUp policy Pods = 4 ...
  double scale_up_percent = 100;            // ... and Percent = 100, selectPolicy Max
  double scale_up_period_s = 15;            // ... per 15 s; scale-up stabilization 0 s
  double scale_down_stabilization_s = 300;  // highest recommendation of the last 300 s
                                            // (scale-down policy 100% per 15 s: no limit)
  HpaMetric metric = HpaMetric::cpu_utilization;
  double target_cpu_utilization = 0.8;       // 80%, the HPA's default CPU target
  double target_requests_per_pod_per_s = 0;  // no default; needed for requests_per_pod
  // metrics-server: the HPA at time t sees the metric averaged over
  // [t − metric_lag_s − metric_window_s, t − metric_lag_s) (--metric-resolution=15s in the
  // release manifests; LATENCY_FACTS.md §3.2).
  double metric_lag_s = 15;
  double metric_window_s = 15;
  int min_replicas = 1;    // HPA minReplicas default
  int max_replicas = 100;  // the HPA has no default; KEDA's maxReplicaCount (§3.4)
  // Replicas at start_s, all ready on ready nodes. 0: the steady state for the first
  // hpa_sync_s of traffic, ceil(usage / target) clamped to [min, max], as if the cluster
  // had run at that load before the window.
  int initial_replicas = 0;

  // Pods. A new pod is ready pod_start_s + readiness_delay_s after it lands on a node.
  double pod_start_s = 2;        // k8s pod start-up SLO, p50 (image cached; add image pull)
  double readiness_delay_s = 5;  // mean of the 0-10 s readiness-probe period
  int concurrency_per_pod = 1;   // requests one pod serves at once (MODEL.md §1)

  // Nodes (cluster autoscaler / Karpenter).
  int pods_per_node = 0;            // no default: the caller computes it from allocatable
  int min_nodes = 1;                // placer's choice: a dedicated cluster keeps one node
  double node_provisioning_s = 60;  // pending pod to node Ready, Karpenter (§3.3)
  double node_unneeded_s = 600;     // --scale-down-unneeded-time, 10 min

  // Latency.
  double slo_ms = 0;       // no default: the latency objective requests are judged by
  double arrival_scv = 1;  // ca²: 1 for Poisson arrivals
};

// A change point of the replica count: from time_s on (until the next point).
struct ReplicaPoint {
  double time_s = 0;
  int replicas = 0;        // the HPA's desired count: pods that exist, ready or not
  int ready_replicas = 0;  // pods serving requests
};

// A change point of the node count.
struct NodePoint {
  double time_s = 0;
  int nodes = 0;        // launched (billed) nodes, provisioning included
  int ready_nodes = 0;  // nodes pods can run on
};

struct KubernetesSimResult {
  double window_s = 0;                 // requests.size() × bin_s
  std::vector<ReplicaPoint> replicas;  // change points, first at start_s
  std::vector<NodePoint> nodes;        // change points, first at start_s
  std::vector<NodeSpan> node_spans;    // billed nodes over the window, for kubernetes_cost
  double replica_hours = 0;            // pod-hours of pods that exist
  double ready_replica_hours = 0;      // pod-hours of ready pods
  double node_hours = 0;               // billed node-hours (launch to removal)
  int peak_replicas = 0;
  int peak_nodes = 0;
  int hpa_scale_ups = 0;    // HPA decisions that added pods
  int hpa_scale_downs = 0;  // ... that removed pods

  double requests = 0;                 // all arrivals in the window
  double requests_backlogged = 0;      // arrivals that met a fluid backlog
  double backlog_at_end_requests = 0;  // still queued when the window ends
  double backlogged_s = 0;             // time with a non-zero backlog
  double time_over_slo_s = 0;          // time in which the backlog wait alone exceeds the SLO
  double mean_cpu_utilization = 0;     // busy server-seconds / ready server-seconds
  double mean_wait_ms = 0;             // mean queueing wait, requests weighted
  double mean_latency_ms = 0;          // mean wait + mean service time
  LatencyPercentiles latency;          // of T = wait + S over all requests
  double share_over_slo = 0;           // P(T > slo_ms)
  int queue_groups = 0;                // distinct (servers, load) groups evaluated
  // The work: HPA syncs simulated one by one, and syncs crossed at once because the
  // cluster had settled and no request was in sight (nothing changes in them).
  std::int64_t hpa_ticks = 0;
  std::int64_t idle_ticks = 0;
};

// Simulates `arrivals` served by pods of `service` under the autoscaling of `config`.
// Fails with invalid_argument, `where` naming the field ("pods_per_node", "min_replicas",
// "arrivals.requests[17]", "service.quantiles_ms[2]", ...), when:
//   a config value is out of range: a negative time, a non-positive sync period, metric
//   window, SLO or target, concurrency_per_pod or pods_per_node below 1, min_replicas
//   below 1 or above max_replicas, initial_replicas outside [min, max] (0 allowed),
//   max_replicas × concurrency_per_pod above 1,000,000, more than 1e8 HPA ticks;
//   arrivals are empty, bin_s is not positive, or a count is negative or not finite;
//   the service quantiles are empty, not ascending, or outside q ∈ [0, 1] and value ≥ 0,
//   the mean is not positive or the scv negative.
// A window without requests has the service time's own percentiles.
// Idle stretches cost nothing: once no pod or node is on its way or waiting to go, the
// replicas are at min_replicas and no backlog is left, the syncs until the next request
// (or the next node removal) change nothing and are crossed at once.
// Cost: O(non-empty bins) for the traffic (bins are visited one by one only in ticks that
// may overflow), O(busy ticks) for the autoscaler (a request keeps it ticking for at most
// the metric lag, the scale-down stabilization and the node scale-down delay after it),
// O(groups × (c + quantiles)) to set up the latency mixture and O(groups + delay buckets)
// per bisection step of each percentile.
Result<KubernetesSimResult> simulate_kubernetes(const BinnedArrivals& arrivals,
                                                const ServiceTime& service,
                                                const KubernetesSimConfig& config);
// The same over arrivals holding only their non-empty bins (kubernetes_arrivals); bins
// outside `index` hold no requests. Fails as above, "arrivals.bins" when there are none,
// "arrivals.index" when it is not ascending within them.
Result<KubernetesSimResult> simulate_kubernetes(const SparseBins& arrivals,
                                                const ServiceTime& service,
                                                const KubernetesSimConfig& config);

}  // namespace placer::sim
