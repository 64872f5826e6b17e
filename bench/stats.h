// Distribution of measured times, shared by the benchmark tools: they print, never judge.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace constellation::bench {

/// Nearest-rank percentile (p in 0..100) of samples in microseconds; 0 when empty.
inline std::uint32_t percentile(std::vector<std::uint32_t> samples, double p) {
  if (samples.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
  const std::size_t index = rank == 0 ? 0 : std::min(rank - 1, samples.size() - 1);
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(index), samples.end());
  return samples[index];
}

}  // namespace constellation::bench
