#pragma once
/// The onboarding prompt `init` prints: docs/setup-prompt.md (embedded at build time)
/// with this peer's identity filled in.

#include <string>
#include <string_view>

#include "constellation/config/config.h"

namespace constellation::embedded {
extern const std::string_view kSetupPromptTemplate;
}

namespace constellation::node {

/// Replaces {{name}}, {{description}}, {{skills}} and {{url}} in `prompt_template`.
std::string render_prompt(std::string_view prompt_template, const config::Config& config,
                          const std::string& url);

}  // namespace constellation::node
