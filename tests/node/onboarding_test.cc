#include "constellation/node/onboarding.h"

#include <gtest/gtest.h>

#include <string>

#include "node/atlas_config.h"

namespace constellation::node {
namespace {

using test_support::atlas_config;

const std::string kUrl = "http://10.0.0.5:7777/";

TEST(RenderPrompt, FillsEveryPlaceholder) {
  EXPECT_EQ(render_prompt("{{name}}|{{description}}|{{skills}}|{{url}}", atlas_config(), kUrl),
            "atlas|Build helper|build, research|http://10.0.0.5:7777/");
}

TEST(RenderPrompt, FillsRepeatedPlaceholders) {
  EXPECT_EQ(
      render_prompt("{{skills}} and again ({{skills}}), {{name}}{{name}}", atlas_config(), kUrl),
      "build, research and again (build, research), atlasatlas");
}

TEST(RenderPrompt, DefaultsForEmptyDescriptionAndSkills) {
  config::Config c;
  c.agent.name = "bare";
  EXPECT_EQ(render_prompt("{{description}}/{{skills}}", c, kUrl), "(none)/(none listed)");
}

TEST(RenderPrompt, SingleSkill) {
  config::Config c = atlas_config();
  c.agent.skills = {"bash"};
  EXPECT_EQ(render_prompt("[{{skills}}]", c, kUrl), "[bash]");
}

TEST(RenderPrompt, LeavesOtherBracesAlone) {
  EXPECT_EQ(render_prompt("{{other}} {{ name }} {name} {{name", atlas_config(), kUrl),
            "{{other}} {{ name }} {name} {{name");
  EXPECT_EQ(render_prompt("{{{name}}}", atlas_config(), kUrl), "{atlas}");
  EXPECT_EQ(render_prompt("", atlas_config(), kUrl), "");
  EXPECT_EQ(render_prompt("{{", atlas_config(), kUrl), "{{");
}

TEST(RenderPrompt, ValuesAreNotExpandedAgain) {
  // A description that itself looks like a placeholder is text, not a template.
  config::Config c = atlas_config();
  c.agent.description = "see {{url}}";
  EXPECT_EQ(render_prompt("{{description}} at {{url}}", c, kUrl),
            "see {{url}} at http://10.0.0.5:7777/");
}

TEST(RenderPrompt, EmbeddedTemplateIsFullyFilled) {
  ASSERT_FALSE(embedded::kSetupPromptTemplate.empty());
  for (const char* placeholder : {"{{name}}", "{{description}}", "{{skills}}", "{{url}}"}) {
    EXPECT_NE(embedded::kSetupPromptTemplate.find(placeholder), std::string_view::npos)
        << placeholder << " is no longer in docs/setup-prompt.md";
  }
  const std::string prompt = render_prompt(embedded::kSetupPromptTemplate, atlas_config(), kUrl);
  EXPECT_EQ(prompt.find("{{"), std::string::npos) << prompt;
  EXPECT_EQ(prompt.find("}}"), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("- name: atlas\n"), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("- description: Build helper\n"), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("- skills: build, research\n"), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("- address other peers use: http://10.0.0.5:7777/\n"), std::string::npos)
      << prompt;
  EXPECT_NE(prompt.find("this peer does build, research\""), std::string::npos) << prompt;
  // Attachments: how to send them and how received ones appear.
  for (const char* text : {"--file PATH", "--data JSON", "[file: /path/to/saved/file]",
                           "attachment: /path/to/saved/file"}) {
    EXPECT_NE(prompt.find(text), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace constellation::node
