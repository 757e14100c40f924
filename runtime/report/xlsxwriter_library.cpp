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
#define TAMIS_XLSXWRITER_NEED(name) need(#name, x.name);
  TAMIS_XLSXWRITER_FUNCTIONS(TAMIS_XLSXWRITER_NEED)
#undef TAMIS_XLSXWRITER_NEED
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
