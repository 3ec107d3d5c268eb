#include "cost_route.hpp"

#include "json_body.hpp"
#include "placer/render/cost_json.hpp"

namespace placer::server {
namespace {

void read_lambda(ObjectReader& in, LambdaCostRequest& r) {
  in.string("arch", r.arch);
  if (!in.has("memory_mib")) {
    in.fail("memory_mib", "missing: the function's configured memory is required");
  }
  in.number("memory_mib", r.memory_mib);
  in.number("ephemeral_storage_mib", r.ephemeral_storage_mib);
  in.number("requests", r.requests);
  in.number("duration_ms", r.duration_ms);
  in.number("cold_starts", r.cold_starts);
  in.number("init_duration_ms", r.init_duration_ms);
  in.number("pc_count", r.pc_count);
  in.number("pc_hours", r.pc_hours);
  in.number("pc_requests", r.pc_requests);
  in.number("pc_duration_ms", r.pc_duration_ms);
  in.boolean("free_tier", r.free_tier);
}

void read_kubernetes(ObjectReader& in, KubernetesCostRequest& r) {
  if (!in.has("instance_type")) {
    in.fail("instance_type", "missing: the EC2 instance type of the nodes is required");
  }
  in.string("instance_type", r.instance_type);
  in.number("nodes", r.nodes);
  in.number("hours", r.hours);
  in.string("node_schedule", r.node_schedule);
  in.number("pods", r.pods);
  in.number("pod_vcpu", r.pod_vcpu);
  in.number("pod_memory_mib", r.pod_memory_mib);
  in.number("daemonset_vcpu", r.daemonset_vcpu);
  in.number("daemonset_memory_mib", r.daemonset_memory_mib);
  in.integer("daemonset_pods", r.daemonset_pods);
  in.boolean("no_control_plane", r.no_control_plane);
  in.boolean("extended_support", r.extended_support);
  in.boolean("spot", r.spot);
  in.number("spot_discount", r.spot_discount);
}

void read_fargate(ObjectReader& in, FargateCostRequest& r) {
  in.number("vcpu", r.vcpu);
  in.number("memory_mib", r.memory_mib);
  in.number("pods", r.pods);
  in.number("hours", r.hours);
}

}  // namespace

Result<CostRequest> cost_request_from_json(const nlohmann::json& body) {
  ObjectReader in{body, "$"};
  std::string platform;
  in.string("platform", platform);
  CostRequest request;
  if (platform == "lambda") {
    request = LambdaCostRequest{};
    read_lambda(in, std::get<LambdaCostRequest>(request));
  } else if (platform == "kubernetes" || platform == "k8s") {
    request = KubernetesCostRequest{};
    read_kubernetes(in, std::get<KubernetesCostRequest>(request));
  } else if (platform == "fargate") {
    request = FargateCostRequest{};
    read_fargate(in, std::get<FargateCostRequest>(request));
  } else {
    in.fail("platform", platform.empty()
                            ? "missing: expected lambda, kubernetes or fargate"
                            : "expected lambda, kubernetes or fargate, found \"" + platform + "\"");
  }
  if (auto ok = in.finish(); !ok) {
    return tl::unexpected(ok.error());
  }
  return request;
}

HttpReply handle_cost(const HttpRequest& request, const PricingCatalog& catalog) {
  auto body = parse_json_object(*request.body);
  if (!body) {
    return body_error_reply(body.error(), request.path);
  }
  auto cost_request = cost_request_from_json(*body);
  if (!cost_request) {
    return problem_reply(problem_from(cost_request.error(), request.path, Origin::request_content));
  }
  auto bill = price(*cost_request, catalog);
  if (!bill) {
    Error error = bill.error();
    // Core names a request field by its snake_case name: in a body, that is its JSON path.
    if (error.where == "flags") {
      error.where = "$";
    } else if (!error.where.empty() && body->contains(error.where)) {
      error.where = "$." + error.where;
    } else if (error.where == "node_schedule" || error.where == "pods" ||
               error.where == "instance_type") {
      error.where = "$." + error.where;
    }
    return problem_reply(problem_from(error, request.path, Origin::request_content));
  }
  return HttpReply{200, "application/json", cost_json(*bill, catalog), {}};
}

}  // namespace placer::server
