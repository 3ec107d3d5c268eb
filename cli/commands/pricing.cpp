// placer pricing show|validate: the price catalog in use, its date and sources.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <memory>

#include "../catalog_path.hpp"
#include "../exit_codes.hpp"
#include "../table.hpp"
#include "commands.hpp"
#include "placer/cost/allocatable.hpp"
#include "placer/render/pricing_json.hpp"

namespace placer::cli {
namespace {

struct PricingFlags {
  std::string catalog;
  std::string output = "table";
};

std::string show_table(const PricingCatalog& c) {
  std::string out = "price catalog " + c.id + " (" + c.date + "), " + c.provider + " " + c.region +
                    ", " + c.currency + "\n\nLambda\n";
  Table lambda{{"price", "x86_64", "arm64", "unit", "source", "retrieved"}};
  const LambdaPrices& l = c.lambda;
  lambda.add_row({"requests", format_rate(l.request.rate.value()), format_rate(l.request.rate.value()),
                  "per request", l.request.provenance.source, l.request.provenance.retrieved_on});
  for (std::size_t i = 0; i < l.x86_64.duration_tiers.size() && i < l.arm64.duration_tiers.size(); ++i) {
    const DurationTier& x = l.x86_64.duration_tiers[i];
    const DurationTier& a = l.arm64.duration_tiers[i];
    // "6B-15B" or "above 15B" GB-s a month
    auto range = [i](const std::vector<DurationTier>& tiers) {
      double from = i == 0 ? 0 : tiers[i - 1].up_to.value() / 1e9;
      double to = tiers[i].up_to.value() / 1e9;
      return std::isinf(to) ? "above " + format_quantity(from) + "B"
                            : format_quantity(from) + "B-" + format_quantity(to) + "B";
    };
    lambda.add_row({"duration tier " + std::to_string(i + 1) + " (x86 " +
                        range(l.x86_64.duration_tiers) + ", arm " + range(l.arm64.duration_tiers) +
                        " GB-s)",
                    format_rate(x.rate.value()), format_rate(a.rate.value()), "per GB-s",
                    x.provenance.source, x.provenance.retrieved_on});
  }
  lambda.add_row({"provisioned concurrency", format_rate(l.x86_64.provisioned_concurrency.rate.value()),
                  format_rate(l.arm64.provisioned_concurrency.rate.value()), "per GB-s",
                  l.x86_64.provisioned_concurrency.provenance.source,
                  l.x86_64.provisioned_concurrency.provenance.retrieved_on});
  lambda.add_row({"duration with PC", format_rate(l.x86_64.provisioned_duration.rate.value()),
                  format_rate(l.arm64.provisioned_duration.rate.value()), "per GB-s",
                  l.x86_64.provisioned_duration.provenance.source,
                  l.x86_64.provisioned_duration.provenance.retrieved_on});
  lambda.add_row({"ephemeral storage above " + format_quantity(l.ephemeral_storage_included.value()) +
                      " MB",
                  format_rate(l.ephemeral_storage.rate.value()),
                  format_rate(l.ephemeral_storage.rate.value()), "per GB-s",
                  l.ephemeral_storage.provenance.source, l.ephemeral_storage.provenance.retrieved_on});
  out += lambda.render({1, 2});
  out += "free tier (off unless asked): " + format_quantity(l.free_tier.requests.value()) +
         " requests and " + format_quantity(l.free_tier.duration.value()) +
         " GB-s a month; duration rounded up to " + format_quantity(l.duration_increment.count()) +
         " ms\n\nEKS and Fargate\n";
  Table eks{{"price", "USD", "unit", "source", "retrieved"}};
  eks.add_row({"control plane, standard", format_rate(c.eks.control_plane_standard.rate.value()),
               "per cluster-hour", c.eks.control_plane_standard.provenance.source,
               c.eks.control_plane_standard.provenance.retrieved_on});
  eks.add_row({"control plane, extended", format_rate(c.eks.control_plane_extended.rate.value()),
               "per cluster-hour", c.eks.control_plane_extended.provenance.source,
               c.eks.control_plane_extended.provenance.retrieved_on});
  eks.add_row({"Fargate vCPU (x86_64)", format_rate(c.fargate.x86_64.vcpu.rate.value()),
               "per vCPU-hour", c.fargate.x86_64.vcpu.provenance.source,
               c.fargate.x86_64.vcpu.provenance.retrieved_on});
  eks.add_row({"Fargate memory (x86_64)", format_rate(c.fargate.x86_64.memory.rate.value()),
               "per GB-hour", c.fargate.x86_64.memory.provenance.source,
               c.fargate.x86_64.memory.provenance.retrieved_on});
  out += eks.render({1});
  out += "\nEC2 node types (allocatable from the EKS reservation rules)\n";
  Table ec2{{"type", "arch", "vCPU", "MiB", "max pods", "USD/hour", "USD/730h", "alloc CPU",
             "alloc MiB", "source"}};
  for (const InstanceType& t : c.instance_types) {
    NodeAllocatable a = node_allocatable(t, c.eks.node_reservation);
    ec2.add_row({t.name, std::string{to_string(t.arch)}, format_quantity(vcpus(t.cpu)),
                 format_quantity(t.memory.value()), std::to_string(t.max_pods),
                 format_rate(t.on_demand.rate.value()),
                 format_usd_cents(t.on_demand.rate.value() * 730),
                 format_quantity(a.cpu.value()) + "m", format_quantity(a.memory.value()),
                 t.on_demand.provenance.source + " " + t.on_demand.provenance.retrieved_on});
  }
  out += ec2.render({2, 3, 4, 5, 6, 7, 8});
  out += "spot: " + format_quantity(c.spot.discount_fraction * 100, 1) +
         "% off on-demand by default (" + c.spot.provenance.source + ")\n\nSources\n";
  for (const auto& [id, text] : c.sources) {
    out += "  " + id + ": " + text + "\n";
  }
  return out;
}

}  // namespace

void register_pricing(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<PricingFlags>();
  CLI::App* pricing = app.add_subcommand("pricing", "The price catalog in use, its date and sources");
  pricing->require_subcommand(1);

  CLI::App* show = pricing->add_subcommand("show", "Print the catalog's prices and sources");
  show->footer(R"(Examples:
  placer pricing show
  placer pricing show --catalog data/pricing/aws-us-east-1.json --output json)");
  show->add_option("--catalog", f->catalog, "price catalog JSON (default: the bundled one)");
  show->add_option("--output,-o", f->output, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  show->callback([f, &exit_code] {
    auto catalog = load_catalog(f->catalog);
    if (!catalog) {
      exit_code = report(catalog.error());
      return;
    }
    std::cout << (f->output == "json" ? pricing_json(*catalog) : show_table(*catalog));
    exit_code = k_exit_ok;
  });

  CLI::App* validate = pricing->add_subcommand("validate", "Check a catalog file; exit 65 if broken");
  validate->footer(R"(Examples:
  placer pricing validate --catalog my-prices.json)");
  validate->add_option("--catalog", f->catalog, "price catalog JSON (default: the bundled one)");
  validate->callback([f, &exit_code] {
    auto catalog = load_catalog(f->catalog);
    if (!catalog) {
      exit_code = report(catalog.error());
      return;
    }
    std::cout << "ok: catalog " << catalog->id << " (" << catalog->date << "), "
              << catalog->instance_types.size() << " EC2 instance types, "
              << catalog->fargate.sizes.size() << " Fargate sizes, " << catalog->sources.size()
              << " sources\n";
    exit_code = k_exit_ok;
  });
}

}  // namespace placer::cli
