// fmt's compiled part, built once into our own static library.
//
// Why: Debian 12 ships fmt as a shared library only (libfmt.so.9), and the release
// executables load no shared C++ library, for start-up (docs/architecture.md). fmt's
// header-only mode did that before, at a price: every file that includes fmt compiled
// fmt's implementation again, 3 to 4.5 s each, in 52 of our 93 files. This file
// compiles the implementation (fmt/format-inl.h, part of Debian's libfmt-dev) once;
// the other files include fmt normally and link to it.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

// The templates fmt/format.h declares `extern` when it is not header-only, and those
// it declares without defining: instantiated here for the types our code formats.
template auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template auto thousands_sep_impl<wchar_t>(locale_ref) -> thousands_sep_result<wchar_t>;
template auto decimal_point_impl(locale_ref) -> char;
template auto decimal_point_impl(locale_ref) -> wchar_t;
template auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template locale_ref::locale_ref(const std::locale& loc);
template auto locale_ref::get<std::locale>() const -> std::locale;

}  // namespace detail
FMT_END_NAMESPACE
