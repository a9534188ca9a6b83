import DisplayText

/// One table of an evidence pack's human-readable page: plain text cells, escaped only by the renderer.
public struct EvidenceTable: Sendable, Equatable {
    public var title: String
    public var note: String?
    public var headers: [String]
    public var rows: [[String]]

    public init(title: String, note: String? = nil, headers: [String], rows: [[String]]) {
        self.title = title; self.note = note; self.headers = headers; self.rows = rows
    }
}

/// The evidence pack's `index.html`, kept apart from how its tables are gathered so that the board
/// pack's renderer can take its place: a minimal page, every text HTML-escaped after control and bidi
/// characters are made visible, so a hostile name renders as text.
public enum EvidenceIndex {
    public static func html(title: String, subtitle: String, tables: [EvidenceTable]) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(escape(title))</title>
            <style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}\
            th,td{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top}th{background:#eee}\
            tr{break-inside:avoid}</style>
            </head><body>
            <h1>\(escape(title))</h1>
            <p>\(escape(subtitle))</p>

            """
        for table in tables {
            out += "<h2>\(escape(table.title)) (\(table.rows.count))</h2>\n"
            if let note = table.note { out += "<p>\(escape(note))</p>\n" }
            out += "<table><thead><tr>" + table.headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for row in table.rows { out += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
            out += "</tbody></table>\n"
        }
        return out + "</body></html>\n"
    }

    /// Text for an HTML element or a quoted attribute.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in DisplayWidth.sanitize(text) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
