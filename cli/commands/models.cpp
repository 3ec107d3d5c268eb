// placer models show: the model parameters in use, with units and sources.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "../exit_codes.hpp"
#include "../models_path.hpp"
#include "../table.hpp"
#include "commands.hpp"
#include "placer/render/simulation_json.hpp"

namespace placer::cli {
namespace {

struct ModelsFlags {
  std::string models_dir;
  std::vector<std::string> overrides;
  std::string output = "table";
};

std::string models_table(const ModelSet& models) {
  std::string out = "models:";
  for (const std::string& id : models.ids) {
    out += " " + id;
  }
  out += "\n\n";
  Table parameters{{"parameter", "value", "unit", "source"}};
  for (const ModelParameter& p : models.parameters) {
    parameters.add_row({p.name + (p.overridden ? " (set)" : ""),
                        p.value ? format_quantity(*p.value, 6) : "unset", p.unit,
                        p.overridden ? "--set" : p.source});
  }
  out += parameters.render({1});
  out += "\nLambda Init Duration by runtime (zip, x86_64), ms:\n";
  Table runtimes{{"runtime", "p50", "p95", "image p50", "image p95", "arm64 x",
                  "first invoke @1024 MiB"}};
  for (const RuntimeColdStart& r : models.runtimes) {
    runtimes.add_row({r.runtime, format_quantity(r.init_p50_ms, 2), format_quantity(r.init_p95_ms, 2),
                      r.image_init_p50_ms ? format_quantity(*r.image_init_p50_ms, 2) : "-",
                      r.image_init_p95_ms ? format_quantity(*r.image_init_p95_ms, 2) : "-",
                      format_quantity(r.arm64_init_factor, 2),
                      format_quantity(r.first_invoke_ms_at_1024_mib, 2)});
  }
  out += runtimes.render({1, 2, 3, 4, 5, 6});
  out += "\nSources:\n";
  for (const auto& [id, text] : models.sources) {
    out += "  " + id + ": " + text + "\n";
  }
  return out;
}

}  // namespace

void register_models(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<ModelsFlags>();
  CLI::App* models = app.add_subcommand("models", "The model parameters in use and their sources");
  models->require_subcommand(1);
  CLI::App* show = models->add_subcommand("show", "List every parameter: value, unit, source");
  show->footer(R"(Examples:
  placer models show
  placer models show --set lambda.keep_alive_s=600 --output json
  placer models show --models ./my-models

Every parameter can be changed for one run with --set NAME=VALUE (NAME=none unsets an
optional one) on the commands that simulate.)");
  show->add_option("--models", f->models_dir,
                   "folder with lambda.json and kubernetes.json (default: the bundled models/)");
  show->add_option("--set", f->overrides, "override a parameter, NAME=VALUE (repeatable)");
  show->add_option("--output,-o", f->output, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  show->callback([f, &exit_code] {
    auto loaded = load_model_set(f->models_dir, f->overrides);
    if (!loaded) {
      exit_code = report(loaded.error());
      return;
    }
    std::cout << (f->output == "json" ? models_json(*loaded) : models_table(*loaded));
    exit_code = k_exit_ok;
  });
}

}  // namespace placer::cli
