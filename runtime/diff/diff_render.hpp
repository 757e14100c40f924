#pragma once
// A campaign diff as text (French, for people), CSV (one row per changed dossier),
// JSON (for tools) or a self-contained HTML page.
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/diff/campaign_diff.hpp"

namespace tamis::runtime {

std::string render_diff_text(const CampaignDiff& diff);
std::string render_diff_csv(const CampaignDiff& diff);
nlohmann::json diff_to_json(const CampaignDiff& diff);
std::string render_diff_html(const CampaignDiff& diff);

}  // namespace tamis::runtime
