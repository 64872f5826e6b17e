#include "constellation/node/onboarding.h"

#include <map>

namespace constellation::node {

std::string render_prompt(std::string_view prompt_template, const config::Config& config,
                          const std::string& url) {
  std::string skills;
  for (const auto& s : config.agent.skills) skills += (skills.empty() ? "" : ", ") + s;
  if (skills.empty()) skills = "(none listed)";
  const std::map<std::string, std::string> values{
      {"{{name}}", config.agent.name},
      {"{{description}}", config.agent.description.empty() ? "(none)" : config.agent.description},
      {"{{skills}}", skills},
      {"{{url}}", url}};
  std::string out;
  std::size_t i = 0;
  while (i < prompt_template.size()) {
    bool replaced = false;
    if (prompt_template.compare(i, 2, "{{") == 0) {
      for (const auto& [key, value] : values) {
        if (prompt_template.compare(i, key.size(), key) == 0) {
          out += value;
          i += key.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += prompt_template[i++];
  }
  return out;
}

}  // namespace constellation::node
