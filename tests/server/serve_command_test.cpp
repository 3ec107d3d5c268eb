// `placer serve` as a process: it listens, answers, and exits 0 on SIGTERM.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace placer::testing {
namespace {

TEST(ServeCommand, ServesAndExitsZeroOnSigterm) {
  int err[2];
  ASSERT_EQ(pipe(err), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(err[1], STDERR_FILENO);
    close(err[0]);
    execl(PLACER_BINARY, PLACER_BINARY, "serve", "--listen", "127.0.0.1:0", "--threads", "2",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(err[1]);
  FILE* log = fdopen(err[0], "r");
  char line[512] = {};
  ASSERT_NE(fgets(line, sizeof line, log), nullptr);
  auto listening = nlohmann::json::parse(line);
  ASSERT_EQ(listening["event"], "listening") << line;
  httplib::Client client{"127.0.0.1", listening["port"].get<int>()};
  client.set_read_timeout(5);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::string rest;
  while (fgets(line, sizeof line, log) != nullptr) {
    rest += line;
  }
  fclose(log);
  EXPECT_NE(rest.find("\"path\":\"/healthz\""), std::string::npos) << rest;
  EXPECT_NE(rest.find("\"event\": \"stopped\""), std::string::npos) << rest;
}

}  // namespace
}  // namespace placer::testing
