extension BoardPack {
    /// The page's only stylesheet (inline: the content security policy lets nothing else in). For
    /// print: A4 pages, no tile or table row split across two, a section heading kept with what
    /// follows, and colours printed as shown.
    static let style = """
        *{box-sizing:border-box}
        body{font:13px/1.4 "DejaVu Sans",system-ui,sans-serif;color:#1b1f24;margin:0 auto;padding:16px;max-width:1180px;
          -webkit-print-color-adjust:exact;print-color-adjust:exact}
        table.layout{width:100%;border-collapse:collapse}
        table.layout>thead>tr>td,table.layout>tbody>tr>td{padding:0;vertical-align:top}
        .running{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:baseline;border-bottom:2px solid #1b1f24;padding:4px 0 6px;margin-bottom:6px}
        .running .portfolio{font-size:17px;font-weight:700}
        .running .head{margin-left:auto;font-size:11px;color:#4b5563}
        .hash,.id{font-family:"DejaVu Sans Mono",monospace;font-size:10.5px;overflow-wrap:anywhere;color:#4b5563}
        h2{font-size:15px;margin:14px 0 6px;break-after:avoid;page-break-after:avoid}
        .note{margin:2px 0 6px;color:#4b5563}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:8px}
        .tile{border:1px solid #c9ced6;border-radius:4px;padding:8px;break-inside:avoid;page-break-inside:avoid}
        .tile .label{font-size:12px;color:#374151;min-height:2.6em}
        .tile .value{font-size:24px;font-weight:700;display:inline-block}
        .tile .unit{display:inline-block;margin-left:6px;color:#4b5563}
        .tile .target{font-size:12px;color:#374151;margin:2px 0 4px}
        .status{font-weight:700;text-transform:uppercase;font-size:11px}
        .status.met{color:#1a7f37}.status.missed{color:#c62828}.status.nodata,.status.notrecorded{color:#6b7280}
        svg.chart{display:block;width:100%;height:auto}
        svg.chart text{font-size:9px;fill:#4b5563}
        svg.chart .axis{stroke:#9ca3af;stroke-width:1}
        svg.chart .zero{stroke:#d1d5db;stroke-dasharray:3 3}
        svg.chart .line{fill:none;stroke:#1f6feb;stroke-width:1.8}
        svg.chart .pt{fill:#1f6feb}
        svg.chart .nodata{font-size:11px}
        table.data{width:100%;border-collapse:collapse;font-size:12px}
        table.data th{text-align:left;border-bottom:1.5px solid #1b1f24;padding:3px 6px;background:#f3f4f6}
        table.data td{border-bottom:1px solid #e5e7eb;padding:3px 6px;vertical-align:top;overflow-wrap:anywhere;min-width:4.5em}
        table.data tr{break-inside:avoid;page-break-inside:avoid}
        .num{text-align:right;white-space:nowrap}.date{white-space:nowrap}
        table.data td.name{min-width:10em}
        .barcell{width:22%}.bars .num{width:1%}
        svg.bar{display:block;width:100%;height:10px}
        svg.bar .track{fill:#e5e7eb}svg.bar .fill{fill:#1f6feb}
        .sev.critical{color:#c62828;font-weight:700}.sev.warning{color:#9a6700}
        footer{margin-top:14px;font-size:11px;color:#6b7280}
        @page{size:A4;margin:12mm 10mm 14mm}
        @media print{
          body{padding:0;max-width:none;font-size:10pt}
          .tiles{grid-template-columns:repeat(3,1fr)}
          section{break-before:auto}
        }
        """
}
