#pragma once
/// `constellation status` as text: the JSON report (what `status --json` prints) in
/// lines a person reads. Pure.

#include <string>

#include <nlohmann/json.hpp>

namespace constellation::cli {

std::string render_status(const nlohmann::json& report);

/// "45s", "12m 5s", "3h 2m", "2d 4h".
std::string duration_words(long long seconds);

}  // namespace constellation::cli
