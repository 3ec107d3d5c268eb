// placer: where should this workload run, AWS Lambda or Kubernetes?
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "commands/commands.hpp"
#include "exit_codes.hpp"
#include "placer/version.hpp"

int main(int argc, char** argv) {
  using namespace placer::cli;
  try {
    CLI::App app{"placer: tells where a workload should run, AWS Lambda or Kubernetes,\n"
                 "from what it really did.",
                 "placer"};
    app.set_version_flag("--version", std::string{placer::k_placer_version});
    app.require_subcommand(1);
    app.footer(R"(Examples:
  placer analyze requests.csv --runtime python3.12 --memory-mib 512 --slo-p99-ms 500
  placer cost lambda --memory-mib 1536 --requests 3000000 --duration-ms 120 --free-tier
  placer cost kubernetes --instance-type m6i.large --nodes 3 --hours 730
  placer cost fargate --vcpu 0.5 --memory-mib 1024 --pods 4 --hours 730
  placer pricing show
  placer trace summarize data/traces/azure2021-sample.csv
  placer simulate lambda requests.csv --runtime python3.12 --memory-mib 512
  placer models show
  placer report --manifest placer.yaml --out-dir out --fail-on 'misplaced>20%,slo-breach'

Exit codes: 0 ok, 1 gate failed (report --fail-on), 64 usage, 65 bad data, 66 input not found, 69 unsupported,
70 internal error, 74 I/O error.)");
    int exit_code = k_exit_software;
    register_analyze(app, exit_code);
    register_cost(app, exit_code);
    register_pricing(app, exit_code);
    register_trace(app, exit_code);
    register_simulate(app, exit_code);
    register_models(app, exit_code);
    register_synth(app, exit_code);
    register_serve(app, exit_code);
    register_report(app, exit_code);
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      std::cerr << "placer: error: usage: " << e.what() << " (run with --help for usage)\n";
      return k_exit_usage;
    }
    return exit_code;
  } catch (const std::exception& e) {
    std::cerr << "placer: error: internal: " << e.what() << '\n';
    return k_exit_software;
  } catch (...) {
    std::cerr << "placer: error: internal: unknown exception\n";
    return k_exit_software;
  }
}
