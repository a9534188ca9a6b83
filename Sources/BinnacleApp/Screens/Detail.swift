import BinnacleCore
import TerminalUI

/// What a detail page shows: the line's cells under its columns' titles, as they were when it was
/// opened, and where it led (for what more there is to read: a task's history).
struct RowDetail: Equatable {
    var titles: [String]
    var cells: [String]
    var target: Target?
}

/// A line of any list in full (`d`, or Enter where there is nothing to drill into): every cell
/// wrapped under its column's title; an audit entry's detail laid out as JSON, before and after, with
/// its hash and the previous one; a task's history from the audit log. Scrolled as any page; Esc back.
struct DetailScreen: DashboardScreen {
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        guard case .detail(let row) = r.kind else { throw ScreenError.wrongPage }
        guard case .task(let id, let modelId)? = row.target else { return (.detail(history: []), nil) }
        // A task's changes are audited on its model, naming it in their detail.
        let audit = try source.modelScreen(id: modelId, asOf: r.asOf).detail.audit
        return (.detail(history: audit.filter { $0.action.hasPrefix("task.") && $0.detail.contains("\"id\":\"\(id)\"") }), nil)
    }

    static func breadcrumb(_ page: Page) -> String? {
        guard case .detail(let row) = page.kind else { return nil }
        return row.target?.id ?? row.cells.first ?? "detail"
    }
}

extension Page {
    var isDetail: Bool { if case .detail = kind { return true } else { return false } }
}

extension AppState {
    /// Opens the selected line in full.
    mutating func openDetail() {
        guard let body = body(of: page), body.selectableCount > 0,
              let i = body.lineIndex(ofSelectable: min(page.selection, body.selectableCount - 1)) else {
            return say("select a line to see it in full", error: true)
        }
        let line = body[i]
        let titles = body.exportTable(at: i)?.titles ?? []
        open(.detail(RowDetail(titles: titles, cells: line.cells ?? [line.text.trimmingSpaces], target: line.target)))
    }
}

extension Screens {
    func detail(_ page: Page, history: [AuditEntry]) -> [Line] {
        guard case .detail(let row) = page.kind else { return [] }
        let labelWidth = min(24, (row.titles.map { DisplayWidth.of($0) }.max() ?? 0))
        var out: [Line] = []
        /// A value wrapped to the width, under its label.
        func field(_ label: String, _ value: String, _ role: StyleRole = .normal) {
            let room = max(10, width - labelWidth - 4)
            for (n, text) in Wrap.lines(value, width: room).enumerated() {
                out.append(Line([Span("  " + DisplayWidth.fit(n == 0 ? label : "", labelWidth) + "  ", .header), Span(text, role)]))
            }
        }
        let isAudit: Bool = { if case .audit? = row.target { return true } else { return false } }()
        for (n, cell) in row.cells.enumerated() {
            let title = n < row.titles.count ? row.titles[n] : ""
            // An audit entry's detail is laid out below.
            if !(isAudit && title == "DETAIL") { field(title, cell) }
        }
        switch row.target {
        case .audit(let e)?:
            out.append(.blank)
            field("HASH", e.hash, .muted)
            field("PREVIOUS", e.prevHash, .muted)
            out.append(.blank)
            out.append(heading("DETAIL"))
            for text in JSONLines.indented(e.detail) {
                let indent = text.prefix { $0 == " " }.count
                for (n, part) in Wrap.lines(text.trimmingSpaces, width: max(10, width - 4 - indent)).enumerated() {
                    out.append(Line("  " + String(repeating: " ", count: indent + (n > 0 ? 2 : 0)) + part))
                }
            }
        case .task?:
            out.append(.blank)
            out.append(heading("HISTORY (\(history.count)) — Enter or d: an entry in full"))
            out += history.isEmpty ? [Line("  No audit entries about this task.", .muted)] : auditLines(history)
        default: break
        }
        return out
    }
}
