#include "support/lang.hpp"

#include <atomic>

namespace tamis {

namespace {
std::atomic<Lang> g_lang{Lang::Fr};
}  // namespace

void set_lang(Lang lang) {
  g_lang.store(lang, std::memory_order_relaxed);
}

Lang current_lang() {
  return g_lang.load(std::memory_order_relaxed);
}

bool parse_lang(std::string_view text, Lang& out) {
  if (text == "fr") {
    out = Lang::Fr;
    return true;
  }
  if (text == "en") {
    out = Lang::En;
    return true;
  }
  return false;
}

}  // namespace tamis
