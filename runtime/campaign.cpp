#include "runtime/campaign.hpp"

#include <fmt/format.h>
#include <unordered_set>

#include "runtime/classifier.hpp"
#include "runtime/eval/interpreter.hpp"
#include "runtime/io/csv_reader.hpp"
#include "runtime/io/csv_writer.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

CampaignReport run_campaign(const graph::RuleGraph& graph, std::istream& input,
                            std::ostream* results, CampaignObserver* observer,
                            const CampaignOptions& options) {
  CampaignReport report;
  io::CsvOptions csv_options;
  csv_options.separator = options.separator;
  io::CsvReader reader(input, csv_options);
  std::vector<std::string>& header = report.header;
  if (!reader.read_header(header)) {
    report.fatal_errors.push_back("fichier vide : aucune ligne d'en-tête");
    return report;
  }
  report.separator = reader.separator();
  if (const auto& e = reader.header_error()) {
    report.fatal_errors.push_back(fmt::format("ligne d'en-tête illisible : {}", e->message));
    return report;
  }
  Classifier classifier(graph);
  report.fatal_errors = classifier.bind(header);
  if (!report.fatal_errors.empty()) return report;

  std::vector<SummaryCounter> counters;
  for (std::size_t s = 0; s < graph.summaries.size(); ++s) counters.emplace_back(graph, s);

  std::vector<std::string> out_row;
  if (results != nullptr) {
    for (const auto& o : graph.outputs) out_row.push_back(o.name);
    out_row.push_back("rejet");
    io::write_csv_row(*results, out_row);
  }

  // The first schema field identifies a dossier: it must be unique in a campaign.
  std::unordered_set<std::string> seen_ids;
  const std::size_t id_column = classifier.id_column();

  io::CsvRecord row;
  std::optional<io::CsvError> csv_error;
  while (reader.next(row, csv_error)) {
    ++report.rows_read;
    const std::string id = id_column < row.fields.size()
                               ? std::string(text::trim(row.fields[id_column]))
                               : std::string();
    std::vector<std::string> reasons = classifier.classify(row, csv_error);
    if (reasons.empty() && !seen_ids.insert(id).second) {
      reasons.push_back(
          fmt::format("identifiant « {} » déjà présent plus haut dans le fichier", id));
    }

    if (!reasons.empty()) {
      ++report.rows_rejected;
      RejectedRow rejected{row.line, row.number, id, reasons, {}};
      for (const auto& f : row.fields) rejected.fields.emplace_back(f);
      if (results != nullptr) {
        out_row = classifier.raw_outputs(row);
        out_row.push_back(fmt::format("ligne {} : {}", row.line, fmt::join(reasons, " ; ")));
        io::write_csv_row(*results, out_row);
      }
      if (observer != nullptr) observer->rejected(rejected);
      report.rejected.push_back(std::move(rejected));
      continue;
    }

    ++report.rows_classified;
    if (results != nullptr) {
      out_row = classifier.outputs();
      out_row.emplace_back();
      io::write_csv_row(*results, out_row);
    }
    for (auto& counter : counters) counter.add(classifier.interpreter());
    if (observer != nullptr)
      observer->classified(row.line, row.number, classifier.record(), classifier.interpreter());
  }
  for (const auto& counter : counters) report.summaries.push_back(counter.table());
  if (report.rows_read == 0) {
    report.fatal_errors.push_back("aucune ligne de données après l'en-tête");
  }
  return report;
}

}  // namespace tamis::runtime
