// End-to-end figure of POST /records/subscriptions: CSV text in memory -> the JSON answer, through the
// router as the server and the WebAssembly module call it. Prints one JSON line: seconds, peak RSS.
//   pmkpi_records_bench FILE.csv [OPTIONS_QUERY]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "pmkpi/api.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: pmkpi_records_bench FILE.csv [QUERY]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary | std::ios::ate);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 2;
  }
  std::string text(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  const std::string target = std::string("/records/subscriptions") + (argc > 2 ? std::string("?") + argv[2] : "");
  auto cpu = [] {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  const double cpu0 = cpu();
  const auto t0 = std::chrono::steady_clock::now();
  const pmkpi::Response r = pmkpi::handle("POST", target, text);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu_seconds = cpu() - cpu0;  // the same work on an idle core: the machine may be shared
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf(
      "{\"status\":%d,\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"peak_rss_mib\":%.1f,\"input_mib\":%.1f,\"answer_bytes\":%"
      "zu}\n",
      r.status, seconds, cpu_seconds, static_cast<double>(usage.ru_maxrss) / 1024.0,
      static_cast<double>(text.size()) / 1048576.0, r.body.size());
  return r.status == 200 ? 0 : 1;
}
