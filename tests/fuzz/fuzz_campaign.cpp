// libFuzzer target: any bytes as a campaign export.
//
// The rules (rules/cop2024, or the folder named by $TAMIS_FUZZ_RULES) are
// compiled once. Each input then takes the path of `tamis run`: written to a
// file, opened with encoding detection (UTF-8 / Windows-1252; a few input sizes
// force Windows-1252 or a separator), read, decoded, classified, and written to
// a stream that discards it. Checks, as traps:
//   - rows_read == rows_classified + rows_rejected, one RejectedRow per rejection;
//   - the CSV reader returns the same header, records and errors whatever the
//     size of its read buffer (1 to 13 bytes against one that holds the whole
//     input), which exercises the refill paths on every input.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/compile.hpp"
#include "fuzz_common.hpp"
#include "runtime/campaign.hpp"
#include "runtime/io/campaign_input.hpp"
#include "runtime/io/csv_reader.hpp"

#ifndef TAMIS_FUZZ_DEFAULT_RULES
#define TAMIS_FUZZ_DEFAULT_RULES "rules/cop2024"
#endif

namespace {

using tamis::fuzz::require;

tamis::Compilation* g_rules = nullptr;
std::string g_path;  // the file each input is written to

// Everything a reader returns, to compare two readers.
struct Reading {
  bool has_header = false;
  std::vector<std::string> header;
  std::string header_error;
  std::vector<std::string> records;  // fields, line, number and error, flattened

  bool operator==(const Reading&) const = default;
};

std::string describe(const std::optional<tamis::io::CsvError>& e) {
  if (!e) return "-";
  return std::to_string(static_cast<int>(e->kind)) + ":" + std::to_string(e->line) + ":" +
         std::to_string(e->column) + ":" + e->message;
}

// How records are read: next(); next_raw() then RecordSplitter, each record split as
// soon as it is framed; or all of them framed first, then split, their buffers held
// (CsvReader::next_raws: as the campaign reads).
enum class Way { Next, Framed, Kept };

// The fields a splitter is told to store (RecordSplitter::read_only), as a campaign's
// decoder reads some: the first, third and fifth (read_all's `wanted`).
const std::vector<std::size_t> kWanted{0, 2, 4};

// With the instruction set `level`. `wanted`: the splitter stores only the fields of
// kWanted, and of a record with the header's field count and no error, only those are
// compared (as a campaign reads them); of any other, every field still.
Reading read_all(std::string_view bytes, std::size_t buffer_size, Way way = Way::Next,
                 tamis::io::SimdLevel level = tamis::io::best_simd_level(), bool wanted = false) {
  std::istringstream in{std::string(bytes)};
  tamis::io::CsvOptions options;
  options.buffer_size = buffer_size;
  options.simd = level;
  tamis::io::CsvReader reader(in, options);
  Reading r;
  r.has_header = reader.read_header(r.header);
  r.header_error = describe(reader.header_error());
  tamis::io::CsvRecord record;
  std::optional<tamis::io::CsvError> error;
  tamis::io::RawRecord raw;
  tamis::io::RecordSplitter splitter(reader.separator(), level);
  if (wanted) splitter.read_only(kWanted, r.header.size());
  const auto add_record = [&] {
    std::string flat =
        std::to_string(record.line) + "/" + std::to_string(record.number) + "/" + describe(error);
    const bool whole = !wanted || error || record.fields.size() != r.header.size();
    flat += "/" + std::to_string(record.fields.size());
    for (std::size_t f = 0; f < record.fields.size(); ++f) {
      flat += '\x1f';
      if (whole || std::find(kWanted.begin(), kWanted.end(), f) != kWanted.end())
        flat.append(record.fields[f]);
    }
    r.records.push_back(std::move(flat));
  };
  if (way == Way::Kept) {
    // A few records a call (and a few bytes), as batches are filled.
    std::vector<std::shared_ptr<const void>> buffers;
    std::vector<tamis::io::RawRecord> raws;
    std::size_t kept_bytes = 0;
    while (reader.next_raws(raws, raws.size() + 5, kept_bytes, kept_bytes + 300, buffers)) {
    }
    for (const auto& kept : raws) {
      splitter.split(kept, record, error);
      add_record();
    }
    return r;
  }
  const auto next = [&] {
    if (way == Way::Next) return reader.next(record, error);
    if (!reader.next_raw(raw)) return false;
    splitter.split(raw, record, error);
    return true;
  };
  while (next()) add_record();
  return r;
}

// The records as framed (bytes, line, number, regular, quote_cut), each flattened: by
// next_raw() one at a time, or by next_raws() in batches of at most `max_records` and
// `max_bytes` (records framed a chunk of 64 bytes at a time across records, and the others
// one at a time), their bytes read once every batch is framed (they stay where they were).
std::string flatten(const tamis::io::RawRecord& raw) {
  std::string flat = std::to_string(raw.line) + "/" + std::to_string(raw.number) + "/" +
                     (raw.regular ? "r" : "-") + (raw.quote_cut ? "c" : "-") + "/";
  flat.append(raw.bytes);
  return flat;
}

std::vector<std::string> framed_records(std::string_view bytes, std::size_t buffer_size,
                                        tamis::io::SimdLevel level, std::size_t max_records,
                                        std::size_t max_bytes, bool in_batches) {
  std::istringstream in{std::string(bytes)};
  tamis::io::CsvOptions options;
  options.buffer_size = buffer_size;
  options.simd = level;
  tamis::io::CsvReader reader(in, options);
  std::vector<std::string> header;
  reader.read_header(header);
  std::vector<std::string> out;
  if (!in_batches) {
    for (tamis::io::RawRecord raw; reader.next_raw(raw);) out.push_back(flatten(raw));
    return out;
  }
  std::vector<tamis::io::RawRecord> raws;
  std::vector<std::shared_ptr<const void>> buffers;
  std::size_t kept_bytes = 0;
  while (reader.next_raws(raws, raws.size() + max_records, kept_bytes, kept_bytes + max_bytes,
                          buffers)) {
  }
  for (const auto& raw : raws) out.push_back(flatten(raw));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* dir = std::getenv("TAMIS_FUZZ_RULES");
  if (dir == nullptr || *dir == '\0') dir = TAMIS_FUZZ_DEFAULT_RULES;
  g_rules = new tamis::Compilation(tamis::compile_directory(dir));
  if (g_rules->diagnostics.has_errors()) {
    std::fprintf(stderr, "fuzz_campaign: the rules of %s do not compile\n", dir);
    std::exit(1);
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/tamis-fuzz-campaign-XXXXXX";
  const int fd = mkstemp(pattern.data());
  if (fd < 0) {
    std::perror("fuzz_campaign: mkstemp");
    std::exit(1);
  }
  close(fd);
  g_path = pattern;
  std::atexit([] { std::remove(g_path.c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // 1. The reader does not depend on its buffer size.
  // (The reference buffer holds the whole input; the default 1 MiB would cost a
  // zero-filled megabyte per run, which dominates the run time under ASan.)
  const Reading reference = read_all(bytes, size + 1);
  const Reading tiny = read_all(bytes, 1 + size % 13);
  require(reference == tiny, "CsvReader gives the same records whatever its buffer size");
  require(reference == read_all(bytes, size + 1, Way::Framed),
          "records framed then split are the records next() reads");
  for (const auto level : tamis::io::simd_levels_run_here()) {
    require(reference == read_all(bytes, 1 + (size + static_cast<std::size_t>(level)) % 7,
                                  Way::Framed, level),
            "records framed then split (with each instruction set this processor has) are the "
            "records next() reads");
    require(reference == read_all(bytes, 1 + (size + static_cast<std::size_t>(level)) % 11,
                                  Way::Kept, level),
            "records all framed, kept where they were read, then split (as the campaign "
            "reads them) are the records next() reads");
    require(read_all(bytes, size + 1, Way::Next, level, true) ==
                read_all(bytes, 1 + (size + static_cast<std::size_t>(level)) % 11, Way::Kept, level,
                         true),
            "a splitter told which fields are read stores those fields as next() reads them, "
            "and every field of a record of another field count or with an error");
  }

  // Framing in batches frames each record as next_raw() does (regular, quote_cut and
  // bytes included), whatever the batch limits.
  for (const auto level : tamis::io::simd_levels_run_here()) {
    const std::size_t buffer_size = size % 3 == 0 ? size + 1 : 64 + size % 200;
    require(framed_records(bytes, buffer_size, level, 1 + size % 17, 1 + size % 700, true) ==
                framed_records(bytes, buffer_size, level, 0, 0, false),
            "records framed in batches (next_raws) are framed as next_raw() frames them");
  }

  // 2. The campaign, as `tamis run` reads it.
  if (std::FILE* f = std::fopen(g_path.c_str(), "wb")) {
    const std::size_t written = std::fwrite(data, 1, size, f);
    std::fclose(f);
    if (written != size) return 0;
  } else {
    return 0;
  }
  const auto encoding =
      size % 5 == 0 ? tamis::io::Encoding::Windows1252 : tamis::io::Encoding::Auto;
  tamis::io::CampaignInput input = tamis::io::open_campaign(g_path, encoding);
  if (!input.error.empty() || input.stream == nullptr) return 0;
  tamis::runtime::CampaignOptions options;
  options.separator = size % 7 == 0 ? ';' : size % 7 == 1 ? ',' : '\0';
  tamis::fuzz::NullStream results;
  const auto report =
      tamis::runtime::run_campaign(*g_rules->graph, *input.stream, &results, nullptr, options);
  require(report.rows_read == report.rows_classified + report.rows_rejected,
          "rows_read == rows_classified + rows_rejected");
  require(report.rejected.size() == report.rows_rejected, "one RejectedRow per rejected row");
  for (const auto& r : report.rejected) require(!r.reasons.empty(), "a rejection has a reason");
  return 0;
}
