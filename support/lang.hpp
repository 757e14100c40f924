#pragma once
// The language of user-facing messages. Rule authors are French policy staff, so
// French is the default; `--lang en` switches diagnostics and CLI messages to
// English. The choice is made once, at start-up, before any message is built:
// a process-wide setting rather than a parameter threaded through every stage.
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace tamis {

enum class Lang { Fr, En };

void set_lang(Lang lang);
Lang current_lang();

// Parses "fr" / "en"; returns false for anything else.
bool parse_lang(std::string_view text, Lang& out);

// Picks the French or English wording of a message, then formats it.
// Usage: tr("« {} » n'est pas défini", "'{}' is not defined", name).
template <typename... Args>
std::string tr(fmt::format_string<Args...> fr, fmt::format_string<Args...> en, Args&&... args) {
  return current_lang() == Lang::En ? fmt::format(en, std::forward<Args>(args)...)
                                    : fmt::format(fr, std::forward<Args>(args)...);
}

}  // namespace tamis
