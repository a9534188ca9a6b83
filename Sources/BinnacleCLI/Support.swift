import ArgumentParser
import BinnacleCore
import BinnacleStore
import DisplayText
import Foundation

/// `--db PATH`, shared by every command.
public struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The inventory database.", discussion: "Default: $BINNACLE_DB, else binnacle.sqlite in the current directory.", valueName: "path"))
    public var db: String?

    public init() {}

    public var path: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["BINNACLE_DB"], !env.isEmpty { return env }
        return "binnacle.sqlite"
    }

    func open(_ mode: Inventory.OpenMode, readOnly: Bool = false) throws -> Inventory {
        try Inventory(path: path, mode: mode, readOnly: readOnly)
    }
}

/// `--as-of YYYY-MM-DD`, default today (UTC).
public struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Compute as of this date (YYYY-MM-DD, UTC). Default: today.", valueName: "date"),
            transform: parseDay)
    public var asOf: Day?

    public init() {}
    public var day: Day { asOf ?? Day.today() }
}

func parseDay(_ text: String) throws -> Day {
    guard let d = Day(text) else { throw ValidationError(DisplayWidth.sanitize(Day.problem(text))) }
    return d
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Stage: ExpressibleByArgument {}

/// What `report` offers; html is its board pack.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, csv, markdown, html
}

/// What a list offers (`models`, `audit log`): help and the parser name exactly these.
public enum ListFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, csv
}

/// What one record offers (`show`, `drift`).
public enum DetailFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// Prints `binnacle: message` on standard error and exits with `code`.
struct Failure: Error, CustomStringConvertible {
    var message: String
    var code: Int32 = 1
    var description: String { message }

    /// A message quoting input (file content, names): each quoted value shown sanitised, on its line.
    init(_ message: SafeText, code: Int32 = 1) { self.message = message.description; self.code = code }
    init(message: String, code: Int32 = 1) { self.message = message; self.code = code }
}

/// The one way the command line prints. Renderers escape each field themselves (`SafeText`,
/// `Format.cell`, `JSON`, `CSVText`), so a line break inside a name cannot forge a line; this is
/// the last guard: whatever reaches it, no control or bidi character reaches the terminal (the line
/// breaks are the printer's own and kept).
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(DisplayWidth.sanitize("binnacle: " + message + "\n", keepingLineBreaks: true).utf8))
    }
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(DisplayWidth.sanitize(text, keepingLineBreaks: true).utf8))
    }

    /// Standard output written as it is made, in blocks, through the same guard: a long list is
    /// printed row by row, never held whole.
    final class Stream: TextOutputStream {
        private var pending = ""
        func write(_ text: String) {
            pending += text
            if pending.utf8.count >= 1 << 16 { flush() }
        }
        func flush() {
            guard !pending.isEmpty else { return }
            Console.out(pending)
            pending = ""
        }
    }
}

/// Runs a command body, turning known errors into a clear message and an exit code (README, "Exit codes"):
/// 1 refused or invalid, 2 could not use the inventory; `failureCode` 2 makes every failure 2 (check, verify).
func running(failureCode: Int32 = 1, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as Failure {
        Console.error(e.message)
        throw ExitCode(e.code)
    } catch let r as Refusal {
        Console.error("refused: \(r.message); nothing was changed")
        throw ExitCode(failureCode)
    } catch let e as StoreError {
        Console.error(e.description)
        throw ExitCode(max(failureCode, e.exitCode))
    } catch let e as CleanExit {
        throw e
    } catch let e as ValidationError {
        throw e
    } catch {
        Console.error(String(describing: error))
        throw ExitCode(failureCode)
    }
}

/// The OS login of this process: who every write is attributed to.
func currentLogin() -> String {
    if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
    return "uid:\(geteuid())"
}

/// Runs `body` on the inventory at `path`, creating the file when missing. If this command created
/// it and then failed, the file is removed again: a failed import leaves nothing behind. A new
/// inventory gets `admin` as its first administrator (a risk officer) before anything else is written.
func creatingInventory<T>(at path: String, admin: String? = nil, _ body: (Inventory) throws -> T) throws -> T {
    let existed = FileManager.default.fileExists(atPath: path)
    do {
        let inventory = try Inventory(path: path, mode: .create)
        if inventory.isNew, let admin {
            try inventory.governance.addFirstAdministrator(login: admin, name: nil, email: nil, by: currentLogin())
        }
        return try body(inventory)
    } catch {
        if !existed { Inventory.removeFiles(path) }
        throw error
    }
}
