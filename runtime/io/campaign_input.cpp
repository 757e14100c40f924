#include "runtime/io/campaign_input.hpp"

#include <fmt/format.h>
#include <boost/locale/encoding.hpp>

#include <array>
#include <fstream>

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

class ConvertingStream : public std::istream {
 public:
  explicit ConvertingStream(std::unique_ptr<std::istream> source)
      : std::istream(nullptr), buffer_(std::move(source)) {
    rdbuf(&buffer_);
  }

 private:
  Windows1252Buffer buffer_;
};

// True when `s` is UTF-8, allowing a sequence cut by the end of the sample.
bool looks_like_utf8(std::string_view s) {
  const auto bad = text::first_invalid_utf8(s);
  return !bad || *bad + 4 > s.size();
}

}  // namespace

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
    default:
      return "UTF-8";
  }
}

CampaignInput open_campaign(const std::string& path, Encoding requested) {
  CampaignInput out;
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) {
    out.error = fmt::format("impossible de lire « {} »", path);
    return out;
  }
  Encoding encoding = requested;
  if (encoding == Encoding::Auto) {
    std::string sample(64 * 1024, '\0');
    file->read(sample.data(), static_cast<std::streamsize>(sample.size()));
    sample.resize(static_cast<std::size_t>(file->gcount()));
    encoding = looks_like_utf8(sample) ? Encoding::Utf8 : Encoding::Windows1252;
    file->clear();
    file->seekg(0);
  }
  out.encoding = encoding;
  if (encoding == Encoding::Windows1252) {
    out.stream = std::make_unique<ConvertingStream>(std::move(file));
  } else {
    out.stream = std::move(file);
  }
  return out;
}

}  // namespace tamis::io
