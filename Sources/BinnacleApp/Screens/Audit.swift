import BinnacleCore
import TerminalUI

/// The Audit screen (7): whether the hash chain holds, and the entries, newest first.
struct AuditScreen: DashboardScreen {
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        let read = try source.auditScreen()
        return (.audit(read.entries, read.chain), nil)
    }
}

extension Screens {
    func auditList(_ entries: [AuditEntry], _ chain: ChainStatus) -> [Line] {
        var out: [Line] = []
        switch chain {
        case .intact(let n, let head):
            out.append(Line(" \(symbols.ok) Chain intact through entry \(n) · head \(head)", .good))
        case .broken(let seq, let reason):
            out.append(Line(" \(symbols.bad) Chain BROKEN at entry \(seq): \(reason)", .critical))
        }
        out.append(Line(" Newest first. / filters by model, actor or action.", .muted))
        out += auditLines(entries)
        return out
    }

    func auditLines(_ entries: [AuditEntry]) -> [Line] {
        if entries.isEmpty { return [Line("  No entries.", .muted)] }
        return TableLayout.lines([
            Column(title: "#", width: 5, right: true, priority: 7), Column(title: "WHEN (UTC)", width: 19, priority: 8),
            Column(title: "ACTOR", width: 10, priority: 8), Column(title: "ACTION", width: 16, priority: 9),
            Column(title: "ENTITY", width: 18, priority: 7, maxWidth: 48), Column(title: "DETAIL", width: 20, flexible: true, priority: 5),
        ], entries.map { e in
            ([Span(String(e.seq)), Span(String(e.at.prefix(19)).replacingAll("T", with: " ")), Span(e.actor), Span(e.action),
              Span(e.entity), Span(e.detail, .muted)], .audit(e))
        }, width: width)
    }
}
