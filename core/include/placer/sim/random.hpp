// The simulators' random numbers: xoshiro256** seeded through splitmix64, and the few
// distributions they draw from, written out here rather than taken from <random>, whose
// distributions may differ between standard libraries. Same seed, same numbers, on every
// platform: placer's outputs are reproducible byte for byte (MODEL.md §7).
#pragma once

#include <cmath>
#include <cstdint>

namespace placer::sim {

class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (auto& word : state_) {
      seed += 0x9e3779b97f4a7c15ULL;  // splitmix64
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform on [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Exponential with mean 1.
  double exponential() { return -std::log1p(-uniform()); }
  // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0;
    do {
      u = uniform();
    } while (u <= 0);
    const double radius = std::sqrt(-2 * std::log(u));
    const double angle = 2 * 3.14159265358979323846 * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }
  // Lognormal whose median is `median` and whose log has standard deviation `sigma`.
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4] = {};
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace placer::sim
