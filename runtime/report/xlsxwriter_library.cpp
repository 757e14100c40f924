#include "runtime/report/xlsxwriter_library.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <mutex>

namespace tamis::runtime::report {

namespace {

// Set by the build (runtime/CMakeLists.txt): the soname of the libxlsxwriter linked
// against at configure time, e.g. "libxlsxwriter.so.4".
constexpr const char* kLibraryName = TAMIS_XLSXWRITER_SONAME;

// Resolves `name` into `function`; false when the library lacks it.
template <typename Function>
bool resolve(void* library, const char* name, Function& function) {
  function = reinterpret_cast<Function>(::dlsym(library, name));
  return function != nullptr;
}

struct Loaded {
  XlsxWriter api{};
  std::string problem;
};

Loaded load() {
  Loaded loaded;
  // Never closed: the functions stay valid for the life of the process.
  void* library = ::dlopen(kLibraryName, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    loaded.problem = fmt::format(
        "la bibliothèque {} est introuvable ({}) : installez le paquet Debian libxlsxwriter4",
        kLibraryName, ::dlerror());
    return loaded;
  }
  XlsxWriter& x = loaded.api;
  const char* missing = nullptr;
  auto need = [&](const char* name, auto& function) {
    if (missing == nullptr && !resolve(library, name, function)) missing = name;
  };
  need("workbook_new", x.workbook_new);
  need("workbook_set_properties", x.workbook_set_properties);
  need("workbook_add_format", x.workbook_add_format);
  need("workbook_add_worksheet", x.workbook_add_worksheet);
  need("workbook_close", x.workbook_close);
  need("format_set_bold", x.format_set_bold);
  need("format_set_italic", x.format_set_italic);
  need("format_set_font_size", x.format_set_font_size);
  need("format_set_font_color", x.format_set_font_color);
  need("format_set_bg_color", x.format_set_bg_color);
  need("format_set_text_wrap", x.format_set_text_wrap);
  need("format_set_align", x.format_set_align);
  need("format_set_border", x.format_set_border);
  need("format_set_border_color", x.format_set_border_color);
  need("format_set_top", x.format_set_top);
  need("format_set_num_format", x.format_set_num_format);
  need("worksheet_write_string", x.worksheet_write_string);
  need("worksheet_write_number", x.worksheet_write_number);
  need("worksheet_set_row", x.worksheet_set_row);
  need("worksheet_set_column", x.worksheet_set_column);
  need("worksheet_freeze_panes", x.worksheet_freeze_panes);
  need("worksheet_set_paper", x.worksheet_set_paper);
  need("worksheet_set_landscape", x.worksheet_set_landscape);
  need("worksheet_fit_to_pages", x.worksheet_fit_to_pages);
  need("worksheet_repeat_rows", x.worksheet_repeat_rows);
  need("lxw_strerror", x.lxw_strerror);
  if (missing != nullptr) {
    loaded.problem = fmt::format("la bibliothèque {} ne fournit pas « {} » : version inattendue",
                                 kLibraryName, missing);
  }
  return loaded;
}

}  // namespace

const XlsxWriter* load_xlsxwriter(std::string& problem) {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = load(); });
  problem = loaded.problem;
  return problem.empty() ? &loaded.api : nullptr;
}

}  // namespace tamis::runtime::report
