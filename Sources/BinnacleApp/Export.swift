import BinnacleCore
import TerminalUI

/// `:export csv|json|md FILE`: the list the selection is in, as shown — every row of its current
/// filter and order, not the window on screen, in the columns shown at this width. Exporting is a
/// read, open to every role; it refuses a file that exists unless asked as `:export!`.
enum ExportFormat: String, CaseIterable {
    case csv, json, md

    /// The rows as a file of this format, every cell escaped for it: CSV cells defused against
    /// spreadsheet formulas, markdown cells escaped, JSON strings quoted (controls as \u escapes).
    func render(titles: [String], rows: [[String]]) -> String {
        switch self {
        case .csv:
            return ([titles] + rows).map { $0.map(CSVText.cell).joined(separator: ",") + "\n" }.joined()
        case .json:
            return JSON.array(rows.map { row in .object(titles.enumerated().map { ($1, .string($0 < row.count ? row[$0] : "")) }) })
                .serialized(indent: 2) + "\n"
        case .md:
            func line(_ cells: [String]) -> String { "| " + cells.map(CSVText.markdownCell).joined(separator: " | ") + " |\n" }
            return line(titles) + line(titles.map { _ in "---" }) + rows.map(line).joined()
        }
    }
}

/// Where a table's rows come from when it is exported.
enum ExportRows {
    /// Rows in memory, made into cells when exported.
    case ready(() -> [[String]])
    /// A long list in the database: the loop reads every row of the page's list and makes its cells.
    case list(ListID, ([Any]) -> [[String]])
}

/// An export for the loop to run: the rows read (long lists) and written beside `path`, then renamed into place.
struct ExportJob {
    enum Segment {
        case cells([[String]])
        case list(ListHandle, ([Any]) -> [[String]])
    }
    var format: ExportFormat
    var path: String
    var replace: Bool
    var titles: [String]
    var segments: [Segment]
}

extension Body {
    /// The table line `i` is in: every column's title, the columns shown at this width, and where its rows come from.
    func exportTable(at i: Int) -> (titles: [String], shown: [Int], rows: [ExportRows])? {
        guard let t = table(at: i), !t.heading.isEmpty else { return nil }
        let header = self[t.heading.upperBound - 1]
        guard header.part == .columnHeader, let titles = header.cells else { return nil }
        var rows: [ExportRows] = []
        var base = 0
        for part in parts {
            defer { base += part.count }
            let lo = max(base, t.rows.lowerBound), hi = min(base + part.count, t.rows.upperBound)
            guard lo < hi else { continue }
            switch part {
            case .lines(let l):
                let cells = l[(lo - base)..<(hi - base)].compactMap { $0.part == .row ? $0.cells : nil }
                rows.append(.ready { cells })
            case .table(let table): rows.append(table.export)
            }
        }
        return (titles, header.shown ?? Array(titles.indices), rows)
    }

    /// The first line of the first table's column titles.
    var firstColumnHeader: Int? {
        var base = 0
        for part in parts {
            if case .lines(let l) = part, let h = l.firstIndex(where: { $0.part == .columnHeader }) { return base + h }
            base += part.count
        }
        return nil
    }
}

extension AppState {
    static let exportUsage = "export csv|json|md FILE (export! replaces an existing file)"

    /// Asks the loop to write the list the selection is in (or the page's first list).
    mutating func export(_ argument: String, replace: Bool, _ effects: inout [Effect]) {
        let words = argument.split(separator: " ", maxSplits: 1).map(String.init)
        guard let first = words.first, let format = ExportFormat(rawValue: first.lowercased()) else {
            return say("\(AppState.exportUsage): no format given\(words.first.map { " ('\($0)' is not csv, json or md)" } ?? "")", error: true)
        }
        guard words.count == 2, !words[1].trimmingSpaces.isEmpty else { return say("\(AppState.exportUsage): no file given", error: true) }
        guard let body = body(of: page) else { return say("nothing to export yet: the page is still being read", error: true) }
        let selected = body.selectableCount > 0 ? body.lineIndex(ofSelectable: min(page.selection, body.selectableCount - 1)) : nil
        guard let table = (selected.flatMap(body.exportTable(at:))) ?? body.firstColumnHeader.flatMap(body.exportTable(at:)) else {
            return say("nothing to export here: this page shows no list", error: true)
        }
        // The columns shown at this width, as the screen has them.
        let shown = table.shown
        func pick(_ cells: [String]) -> [String] { shown.map { $0 < cells.count ? cells[$0] : "" } }
        var segments: [ExportJob.Segment] = []
        for rows in table.rows {
            switch rows {
            case .ready(let make): segments.append(.cells(make().map(pick)))
            case .list(let id, let cells):
                guard let handle = page.lists?.handles[id] else { return say("nothing to export yet: the list is still being read", error: true) }
                segments.append(.list(handle, { cells($0).map(pick) }))
            }
        }
        effects.append(.export(ExportJob(format: format, path: words[1].trimmingSpaces, replace: replace, titles: pick(table.titles),
                                         segments: segments)))
    }
}
