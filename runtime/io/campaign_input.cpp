#include "runtime/io/campaign_input.hpp"

#include <fmt/format.h>
#include <boost/locale/encoding.hpp>
#include <boost/locale/encoding_utf.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::io {

namespace {

// Converts a Windows-1252 byte stream to UTF-8 block by block (a single-byte
// encoding: any block boundary is a character boundary). Boost.Locale does the
// conversion; a byte that Windows-1252 leaves undefined stops the reading with
// an error rather than being guessed.
class Windows1252Buffer : public std::streambuf {
 public:
  explicit Windows1252Buffer(std::unique_ptr<std::istream> source) : source_(std::move(source)) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    source_->read(raw_.data(), static_cast<std::streamsize>(raw_.size()));
    const auto got = static_cast<std::size_t>(source_->gcount());
    if (got == 0) return traits_type::eof();
    try {
      converted_ = boost::locale::conv::to_utf<char>(raw_.data(), raw_.data() + got, "windows-1252",
                                                     boost::locale::conv::stop);
    } catch (const boost::locale::conv::conversion_error&) {
      // Surface the problem as invalid UTF-8 in the row: the reader rejects that row
      // with its line number, and the other rows are still read.
      converted_.clear();
      for (std::size_t i = 0; i < got; ++i) {
        const char one = raw_[i];
        try {
          converted_ += boost::locale::conv::to_utf<char>(&one, &one + 1, "windows-1252",
                                                          boost::locale::conv::stop);
        } catch (const boost::locale::conv::conversion_error&) {
          converted_ += '\xFF';  // never valid in UTF-8
        }
      }
    }
    setg(converted_.data(), converted_.data(), converted_.data() + converted_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::unique_ptr<std::istream> source_;
  std::array<char, 1 << 16> raw_{};
  std::string converted_;
};

// Converts a UTF-16 byte stream (after its BOM) to UTF-8 block by block. A block never
// ends inside a code unit or between the two halves of a surrogate pair: those bytes are
// carried over to the next block. Boost.Locale does the conversion; an unpaired
// surrogate (or a last odd byte) becomes an invalid UTF-8 byte, so that the reader
// rejects that row and reads the others.
class Utf16Buffer : public std::streambuf {
 public:
  Utf16Buffer(std::unique_ptr<std::istream> source, bool big_endian)
      : source_(std::move(source)), big_endian_(big_endian) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    converted_.clear();
    while (converted_.empty()) {
      source_->read(raw_.data() + carried_, static_cast<std::streamsize>(raw_.size() - carried_));
      const auto read = static_cast<std::size_t>(source_->gcount());
      const std::size_t got = carried_ + read;
      if (got == 0) return traits_type::eof();
      const bool last = read == 0;  // nothing more will come
      units_.clear();
      for (std::size_t i = 0; i + 1 < got; i += 2) units_.push_back(unit_at(i));
      std::size_t used = units_.size() * 2;
      if (!last && !units_.empty() && units_.back() >= 0xD800 && units_.back() <= 0xDBFF) {
        units_.pop_back();  // a high surrogate whose low half is in the next block
        used -= 2;
      }
      convert();
      if (last && used < got) {
        converted_ += '\xFF';  // an odd number of bytes: the file is cut
        used = got;
      }
      carried_ = got - used;
      std::copy(raw_.begin() + static_cast<std::ptrdiff_t>(used),
                raw_.begin() + static_cast<std::ptrdiff_t>(got), raw_.begin());
    }
    setg(converted_.data(), converted_.data(), converted_.data() + converted_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  char16_t unit_at(std::size_t i) const {
    const auto a = static_cast<unsigned char>(raw_[i]);
    const auto b = static_cast<unsigned char>(raw_[i + 1]);
    return static_cast<char16_t>(big_endian_ ? (a << 8) | b : (b << 8) | a);
  }

  void convert() {
    using boost::locale::conv::utf_to_utf;
    const char16_t* begin = units_.data();
    const char16_t* end = begin + units_.size();
    try {
      converted_ += utf_to_utf<char>(begin, end, boost::locale::conv::stop);
    } catch (const boost::locale::conv::conversion_error&) {
      for (const char16_t* p = begin; p < end;) {
        const bool pair =
            *p >= 0xD800 && *p <= 0xDBFF && p + 1 < end && p[1] >= 0xDC00 && p[1] <= 0xDFFF;
        const char16_t* next = p + (pair ? 2 : 1);
        try {
          converted_ += utf_to_utf<char>(p, next, boost::locale::conv::stop);
        } catch (const boost::locale::conv::conversion_error&) {
          converted_ += '\xFF';  // never valid in UTF-8
        }
        p = next;
      }
    }
  }

  std::unique_ptr<std::istream> source_;
  bool big_endian_;
  std::array<char, 1 << 16> raw_{};
  std::size_t carried_ = 0;  // bytes at the start of raw_ left from the previous block
  std::u16string units_;
  std::string converted_;
};

template <typename Buffer>
class ConvertingStream : public std::istream {
 public:
  template <typename... Args>
  explicit ConvertingStream(Args&&... args)
      : std::istream(nullptr), buffer_(std::forward<Args>(args)...) {
    rdbuf(&buffer_);
  }

 private:
  Buffer buffer_;
};

bool starts_with_bytes(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// UTF-16 text without a BOM: most of the first code units are ASCII characters, so one
// byte of each pair is NUL (the second in little-endian order, the first in big-endian).
std::optional<Encoding> utf16_by_nul_bytes(std::string_view s) {
  const std::size_t pairs = std::min<std::size_t>(s.size(), 4096) / 2;
  if (pairs < 4) return std::nullopt;
  std::size_t little = 0;
  std::size_t big = 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    const bool first_nul = s[2 * i] == '\0';
    const bool second_nul = s[2 * i + 1] == '\0';
    little += !first_nul && second_nul;
    big += first_nul && !second_nul;
  }
  if (little * 2 > pairs) return Encoding::Utf16Le;
  if (big * 2 > pairs) return Encoding::Utf16Be;
  return std::nullopt;
}

// Invalid bytes beyond this many per valid multi-byte sequence: the file is not UTF-8
// with a few damaged rows but Windows-1252 (where an accented letter followed by, say,
// « » » can form a valid UTF-8 sequence by chance, but rarely).
constexpr std::size_t kInvalidPerValidSequence = 4;

// A header line (the sample's first line) that is valid UTF-8 and holds accented
// letters, as an export's column names do (« État du dossier »): the file is UTF-8,
// whatever a paragraph pasted from elsewhere does further down (its row is rejected
// for its bytes). In Windows-1252, accented letters are never valid UTF-8 sequences
// (but for rare pairs such as « Ã© », which is itself UTF-8 read as Windows-1252).
bool utf8_header(std::string_view sample) {
  const std::size_t lf = sample.find('\n');
  if (lf == std::string_view::npos) return false;  // no whole line in the sample
  const std::string_view line = sample.substr(0, lf);
  const bool accented = std::any_of(line.begin(), line.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0xC0U;  // a lead byte of a multi-byte sequence
  });
  return accented && !text::first_invalid_utf8(line);
}

Encoding detect(std::string_view sample, bool whole_file) {
  if (starts_with_bytes(sample, "\xFF\xFE")) return Encoding::Utf16Le;
  if (starts_with_bytes(sample, "\xFE\xFF")) return Encoding::Utf16Be;
  if (starts_with_bytes(sample, "\xEF\xBB\xBF")) return Encoding::Utf8;
  if (auto utf16 = utf16_by_nul_bytes(sample)) return *utf16;
  if (utf8_header(sample)) return Encoding::Utf8;
  std::size_t valid_sequences = 0;  // multi-byte UTF-8 sequences
  std::size_t invalid_bytes = 0;
  std::size_t pos = 0;
  while (pos < sample.size()) {
    const std::string_view rest = sample.substr(pos);
    const auto bad = text::first_invalid_utf8(rest);
    const std::string_view valid = rest.substr(0, bad ? *bad : rest.size());
    // In valid UTF-8, every byte from 0xC0 up starts a multi-byte sequence.
    valid_sequences += static_cast<std::size_t>(std::count_if(
        valid.begin(), valid.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xC0U; }));
    if (!bad) break;
    // A sequence cut by the end of the sample is not a mistake.
    if (!whole_file && pos + *bad + 4 > sample.size()) break;
    ++invalid_bytes;
    pos += *bad + 1;
  }
  if (invalid_bytes == 0) return Encoding::Utf8;
  if (invalid_bytes > kInvalidPerValidSequence * valid_sequences) return Encoding::Windows1252;
  return Encoding::Utf8;
}

}  // namespace

Encoding detect_encoding(std::string_view sample) {
  return detect(sample, true);
}

std::optional<Encoding> parse_encoding(const std::string& name) {
  const std::string n = text::normalize_label(name);
  if (n == "auto") return Encoding::Auto;
  if (n == "utf-8" || n == "utf8") return Encoding::Utf8;
  if (n == "windows-1252" || n == "cp1252" || n == "latin-1" || n == "latin1" ||
      n == "iso-8859-1" || n == "iso-8859-15") {
    return Encoding::Windows1252;
  }
  return std::nullopt;
}

const char* encoding_name(Encoding e) {
  switch (e) {
    case Encoding::Windows1252:
      return "Windows-1252";
    case Encoding::Utf16Le:
      return "UTF-16LE";
    case Encoding::Utf16Be:
      return "UTF-16BE";
    case Encoding::Auto:
    case Encoding::Utf8:
      break;
  }
  return "UTF-8";
}

CampaignInput open_campaign(const std::string& path, Encoding requested) {
  CampaignInput out;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    // An ifstream opens a folder without complaint and reads nothing from it.
    out.error = tr("« {} » est un dossier, pas un fichier : indiquez le fichier CSV de la campagne",
                   "'{}' is a folder, not a file: give the campaign's CSV file", path);
    return out;
  }
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) {
    out.error = std::filesystem::exists(path, ec)
                    ? tr("impossible de lire « {} »", "cannot read '{}'", path)
                    : tr("impossible de lire « {} » : ce fichier n'existe pas",
                         "cannot read '{}': no such file", path);
    return out;
  }
  Encoding encoding = requested;
  std::size_t skip = 0;  // a UTF-16 BOM, not part of the text
  if (encoding == Encoding::Auto) {
    std::string sample(64 * 1024, '\0');
    file->read(sample.data(), static_cast<std::streamsize>(sample.size()));
    const bool whole_file = file->eof();
    sample.resize(static_cast<std::size_t>(file->gcount()));
    encoding = detect(sample, whole_file);
    if ((encoding == Encoding::Utf16Le && starts_with_bytes(sample, "\xFF\xFE")) ||
        (encoding == Encoding::Utf16Be && starts_with_bytes(sample, "\xFE\xFF"))) {
      skip = 2;
    }
    file->clear();
    file->seekg(static_cast<std::streamoff>(skip));
  }
  out.encoding = encoding;
  if (const auto size = std::filesystem::file_size(path, ec); !ec) out.bytes = size;
  if (encoding == Encoding::Windows1252) {
    out.stream = std::make_unique<ConvertingStream<Windows1252Buffer>>(std::move(file));
  } else if (encoding == Encoding::Utf16Le || encoding == Encoding::Utf16Be) {
    out.stream = std::make_unique<ConvertingStream<Utf16Buffer>>(std::move(file),
                                                                 encoding == Encoding::Utf16Be);
  } else {
    out.stream = std::move(file);
  }
  return out;
}

}  // namespace tamis::io
