// Writes a Swift file holding each schema migration as (name, sql).
// Usage: EmbedSchema OUTPUT.swift schema/0001_x.sql schema/0002_y.sql ...
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: EmbedSchema OUTPUT FILE...\n".utf8))
    exit(2)
}

/// A Swift string literal that holds `text` exactly: every scalar outside printable ASCII is escaped.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case " "..."~": out.unicodeScalars.append(scalar)
        default: out += "\\u{\(String(scalar.value, radix: 16))}"
        }
    }
    return out + "\""
}

var swift = "// Generated from schema/ by the EmbedSchema build tool. Do not edit.\n"
swift += "enum EmbeddedSchema {\n    static let migrations: [(name: String, sql: String)] = [\n"
for path in arguments.dropFirst() {
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    let sql = try String(contentsOfFile: path, encoding: .utf8)
    swift += "        (\(literal(name)), \(literal(sql))),\n"
}
swift += "    ]\n}\n"
try swift.write(toFile: output, atomically: true, encoding: .utf8)
