import BinnacleCore
import TerminalUI

/// An asset's page (a dataset, feature group, application): what depends on it and what it depends on.
struct AssetScreen: DashboardScreen {
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        guard case .asset(let id) = r.kind else { throw ScreenError.wrongPage }
        return (.asset(try source.assetScreen(id: id)), nil)
    }
}

extension Screens {
    func asset(_ d: AssetDetail, text: String) -> Body {
        let a = d.asset
        var out = Body([Line(" \(a.name) (\(a.id)) · \(a.kind.rawValue)", .title),
                        Line("  Owner: \(a.owner.map { "\($0)\(d.ownerName.map { " — " + $0 } ?? "")" } ?? "— none —")"),
                        Line("  Tags: \(a.tags.isEmpty ? "none" : a.tags.joined(separator: ", "))", a.tags.isEmpty ? .normal : .warning),
                        .blank])
        let models = d.downstream.filter { $0.kind == "model" }.count
        let apps = d.downstream.filter { $0.kind == "application" || $0.kind == "process" }.count
        out.append(heading("DEPENDS ON IT — \(models) models, \(apps) applications and processes, at any depth"))
        appendNodes(d.downstream, to: &out, text: text)
        out.append(.blank)
        out.append(heading("IT DEPENDS ON (\(d.upstream.count))"))
        appendNodes(d.upstream, to: &out, text: text)
        return out
    }

    /// A lineage node table (a widely used dataset has thousands of dependants: made a window at a time).
    func appendNodes(_ nodes: [LineageNode], to out: inout Body, text: String) {
        if nodes.isEmpty { return out.append(Line("  Nothing.", .muted)) }
        let columns = [
            Column(title: "KIND", width: 13, priority: 8), Column(title: "ID", width: 22, priority: 7),
            Column(title: "NAME", width: 24, flexible: true, priority: 9, middle: true), Column(title: "DEPTH", width: 5, right: true, priority: 6),
            Column(title: "TAGS", width: 16, priority: 5),
        ]
        out += TableLayout.lines(columns, [], width: width)
        out.append(LazyTable(nodes, text: text, columns: columns, width: width) { n in
            ([Span(n.kind), Span(n.id), Span(n.name), Span(String(n.depth)), Span(n.tags.joined(separator: ","), .warning)],
             n.kind == "model" ? .model(n.id, .lineage) : .asset(n.id))
        })
    }
}
