// Each verb registers its subcommand on the app; its callback stores the exit code.
#pragma once

namespace CLI {
class App;
}

namespace placer::cli {

void register_analyze(CLI::App& app, int& exit_code);
void register_cost(CLI::App& app, int& exit_code);
void register_pricing(CLI::App& app, int& exit_code);
void register_trace(CLI::App& app, int& exit_code);
void register_models(CLI::App& app, int& exit_code);
void register_simulate(CLI::App& app, int& exit_code);
void register_synth(CLI::App& app, int& exit_code);
void register_serve(CLI::App& app, int& exit_code);
void register_report(CLI::App& app, int& exit_code);

}  // namespace placer::cli
