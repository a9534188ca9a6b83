import BinnacleCore
import Foundation

/// How a public AI use-case inventory's CSV maps onto the inventory. Another layout is another value
/// of this type — column names and label tables — not another importer.
public struct UseCaseLayout: Sendable {
    public var name: String
    public var idColumn, nameColumn, agencyColumn, agencyNameColumn, descriptionColumn, benefitsColumn: String
    public var kindColumn, vendorColumn, piiColumn, topicColumn, impactColumn, stageColumn, dateColumn: String
    /// Optional practice columns (independent review, ongoing monitoring, impact assessment).
    public var reviewColumn, monitoringColumn, assessmentColumn: String?
    /// The disclosure a published entry makes (purpose, outputs), and its description of the data and
    /// link to it: what a model card and a data sheet would say. Optional.
    public var purposeColumn, outputsColumn, dataColumn, dataLinkColumn: String?
    /// Normalised label (see `UseCaseLayout.normalise`) → value. A label not listed is flagged.
    public var stages: [String: Stage]
    public var tiers: [String: RiskTier]
    public var genaiKinds: Set<String>
    public var yes: Set<String>
    /// Practice answers that mean done, and those that mean under way.
    public var practiceDone: Set<String>
    public var practiceInProgress: Set<String>

    /// The US OMB 2025 federal agency AI use-case inventory.
    public static let omb2025 = UseCaseLayout(
        name: "omb-2025",
        idColumn: "id", nameColumn: "use_case_name", agencyColumn: "agency", agencyNameColumn: "agency_name",
        descriptionColumn: "problem_solved", benefitsColumn: "benefits", kindColumn: "classification", vendorColumn: "vendor_name",
        piiColumn: "has_pii", topicColumn: "topic_area", impactColumn: "is_high_impact", stageColumn: "development_stage",
        dateColumn: "operational_date", reviewColumn: "hi_independent_review", monitoringColumn: "hi_ongoing_monitoring",
        assessmentColumn: "hi_assessment_completed",
        purposeColumn: "problem_solved", outputsColumn: "system_outputs", dataColumn: "data_description", dataLinkColumn: "link_to_data",
        stages: ["pre-deployment": .development, "predeployment": .development, "pilot": .validation, "deployed": .production,
                 "retired": .retired, "": .idea],
        // "Presumed high-impact, but determined not high impact" is the agency's determination that it is
        // not: the high-impact practices (review, monitoring, assessment) are not asked of it, so tier 2's
        // documents could only ever read as gaps. Presumed and undetermined stays tier 2.
        tiers: ["high-impact": .high, "high impact": .high, "presumed high-impact, but not high-impact": .low,
                "presumed high-impact": .medium, "not high-impact": .low, "not high impact": .low],
        genaiKinds: ["generative ai", "agentic ai"],
        yes: ["yes"],
        practiceDone: ["yes", "internal independent review", "caio review", "oversight board review", "yes - monitoring established",
                       "yes - by an agency ai oversight board not directly involved in the ai's development"],
        practiceInProgress: ["in-progress", "in progress"])

    public static let layouts = ["omb-2025": omb2025]

    /// Lower case, single spaces, plain hyphens and apostrophes: label variants compare equal.
    public static func normalise(_ label: String) -> String {
        var s = label.lowercased()
        for dash in ["–", "—", "‐"] { s = s.replacingOccurrences(of: dash, with: "-") }
        s = s.replacingOccurrences(of: "’", with: "'")
        return s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    /// Dates as agencies write them: `2024-10-01 00:00:00`, `2024-10-01`, `10/1/2023` (with an optional
    /// time, `0:00` or `12:00:00 AM`), `01/2024`, `Jul-25`, `2025`. Month or year alone mean its first day.
    public static func parseDate(_ raw: String) -> Day? {
        parseAnyDate(raw).flatMap { $0.isStorable ? $0 : nil }
    }

    private static func parseAnyDate(_ raw: String) -> Day? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let datePart = String(text.split(separator: " ").first ?? "")
        if let d = Day(datePart) { return d }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let slash = datePart.split(separator: "/").map(String.init)
        if slash.count == 3, let m = Int(slash[0]), let d = Int(slash[1]), let y = Int(slash[2]), slash[2].count == 4 {
            return Day(year: y, month: m, day: d)
        }
        if slash.count == 2, let m = Int(slash[0]), let y = Int(slash[1]), slash[1].count == 4, text.count == datePart.count {
            return Day(year: y, month: m, day: 1)
        }
        let dash = text.split(separator: "-").map(String.init)
        if dash.count == 2, let m = months.firstIndex(of: dash[0].lowercased()), let yy = Int(dash[1]), dash[1].count == 2 {
            return Day(year: 2000 + yy, month: m + 1, day: 1)
        }
        if text.count == 4, let y = Int(text), (1950...2100).contains(y) { return Day(year: y, month: 1, day: 1) }
        return nil
    }
}

/// One use case mapped onto the inventory, with what had to be flagged.
public struct MappedUseCase: Sendable {
    public var line: Int
    public var model: Model
    public var stage: Stage
    public var stageDate: Day
    /// Practice answers and disclosures turned into documents: (kind, approved = done, else a draft, link).
    public var documents: [(kind: DocumentKind, approved: Bool, uri: String?)]
    public var agencyName: String
    public var flags: [String]
}

/// Reads a use-case inventory CSV through a layout.
public struct UseCaseReader {
    public let layout: UseCaseLayout
    /// Undated stages are dated to this day, and later dates are brought back to it.
    public let reported: Day

    public init(layout: UseCaseLayout, reported: Day) { self.layout = layout; self.reported = reported }

    public struct Result: Sendable {
        public var rows = 0
        public var mapped: [MappedUseCase] = []
        /// Rows that could not be imported: (line, why).
        public var rejected: [(line: Int, reason: String)] = []
        /// Unparsable dates: (line, the text) — the row is imported undated unless strict.
        public var badDates: [(line: Int, text: String)] = []
        public var collisions: [(line: Int, id: String, firstLine: Int)] = []
        public var flagCounts: [String: Int] {
            var c: [String: Int] = [:]
            for m in mapped { for f in m.flags { c[f, default: 0] += 1 } }
            return c
        }
    }

    public func read(path: String, name: String) throws -> Result {
        try read(try CSVReader(path: path, name: name))
    }

    public func read(_ reader: CSVReader) throws -> Result {
        let name = reader.name
        guard let header = try reader.next() else { throw CSVSyntaxError(file: name, line: 1, message: "file is empty") }
        var index: [String: Int] = [:]
        for (i, column) in header.fields.enumerated() { index[column.trimmingCharacters(in: .whitespaces)] = i }
        let l = layout
        for column in [l.idColumn, l.nameColumn, l.agencyColumn, l.stageColumn, l.dateColumn, l.impactColumn] where index[column] == nil {
            throw CSVSyntaxError(file: name, line: 1, message: "column \(column): missing from the header (is this a \(l.name) file?)")
        }
        var result = Result()
        var seen: [String: Int] = [:]
        while let record = try reader.next() {
            result.rows += 1
            func field(_ column: String?) -> String {
                guard let column, let i = index[column], i < record.fields.count else { return "" }
                return record.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var flags: [String] = []
            let agency = field(l.agencyColumn)
            var title = field(l.nameColumn)
            let sourceId = field(l.idColumn)
            if agency.isEmpty { result.rejected.append((record.line, "no agency")); continue }
            if title.isEmpty {
                guard !sourceId.isEmpty else { result.rejected.append((record.line, "no name and no id")); continue }
                title = sourceId
                flags.append("no use case name: the agency's id is the name")
            }
            if sourceId.isEmpty { flags.append("no id in the file") }

            // A stable id from agency and name; a second use case with both the same gets a number.
            var id = Slug.make(agency + " " + title)
            if id.count > 80 { id = String(id.prefix(80)); while id.hasSuffix("-") { id.removeLast() } }
            if let first = seen[id] {
                var n = 2
                while seen[id + "-\(n)"] != nil { n += 1 }
                result.collisions.append((record.line, id, first))
                id += "-\(n)"
                flags.append("same agency and name as another row: id numbered")
            }
            seen[id] = record.line

            let stageLabel = UseCaseLayout.normalise(field(l.stageColumn))
            var stage = Stage.idea
            if let s = l.stages[stageLabel] { stage = s } else { flags.append("unknown stage label: idea assumed") }
            let impactLabel = UseCaseLayout.normalise(field(l.impactColumn))
            var tier = RiskTier.medium
            if let t = l.tiers[impactLabel] { tier = t } else { flags.append(impactLabel.isEmpty ? "no high-impact answer: tier 2 assumed" : "unknown high-impact label: tier 2 assumed") }
            let kind: ModelKind = l.genaiKinds.contains(UseCaseLayout.normalise(field(l.kindColumn))) ? .genai : .other

            var date = reported
            let rawDate = field(l.dateColumn)
            if rawDate.isEmpty {
                if stage != .idea { flags.append("no operational date: stage dated to the inventory date") }
            } else if let d = UseCaseLayout.parseDate(rawDate) {
                if d > reported { flags.append("operational date after the inventory date: stage dated to the inventory date") } else { date = d }
            } else {
                result.badDates.append((record.line, rawDate))
                flags.append("unparsable operational date: stage dated to the inventory date")
            }

            var tags: [String] = []
            if l.yes.contains(UseCaseLayout.normalise(field(l.piiColumn))) { tags.append("pii") }
            let topic = field(l.topicColumn)
            if !topic.isEmpty { tags.append("topic-" + Slug.make(topic)) }
            var useCase = sourceId.isEmpty ? "" : "\(l.name) id \(sourceId)"
            let benefits = field(l.benefitsColumn)
            if !benefits.isEmpty { useCase += (useCase.isEmpty ? "" : ". ") + "Benefits: " + benefits }
            let vendor = field(l.vendorColumn)

            var documents: [(kind: DocumentKind, approved: Bool, uri: String?)] = []
            // The published entry states the purpose and the outputs — a model card's substance — and
            // describes the data: a data sheet, linked to the data catalogue when the entry gives a link.
            if l.purposeColumn != nil, !field(l.purposeColumn).isEmpty, !field(l.outputsColumn).isEmpty {
                documents.append((.modelCard, true, nil))
            }
            if l.dataColumn != nil, !field(l.dataColumn).isEmpty {
                let link = field(l.dataLinkColumn)
                documents.append((.dataSheet, true, link.hasPrefix("https://") || link.hasPrefix("http://") ? link : nil))
            }
            for (column, kind) in [(l.reviewColumn, DocumentKind.validationReport), (l.assessmentColumn, .riskAssessment),
                                   (l.monitoringColumn, .monitoringPlan)] {
                let answer = UseCaseLayout.normalise(field(column))
                if l.practiceDone.contains(answer) { documents.append((kind, true, nil)) }
                else if l.practiceInProgress.contains(answer) { documents.append((kind, false, nil)) }
            }
            let agencyLogin = Slug.make(agency)
            // Domains read as the agency's name ("Department of Energy"), not its acronym.
            let agencyName = field(l.agencyNameColumn).isEmpty ? agency : field(l.agencyNameColumn)
            let model = Model(id: id, name: title, domain: agencyName, description: field(l.descriptionColumn), useCase: useCase,
                              kind: kind, riskTier: tier, businessOwner: agencyLogin, developer: agencyLogin, validator: nil,
                              vendor: vendor.isEmpty ? nil : vendor, tags: tags, createdAt: Timestamp(day: min(date, reported)))
            result.mapped.append(MappedUseCase(line: record.line, model: model, stage: stage, stageDate: date, documents: documents,
                                               agencyName: agencyName,
                                               flags: flags))
        }
        return result
    }
}
