import ArgumentParser
import BinnacleCore
import BinnacleStore
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
    guard let d = Day(text) else { throw ValidationError(Day.problem(text)) }
    return d
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Stage: ExpressibleByArgument {}

/// Output formats; each command accepts the subset it supports.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, csv, markdown
}

/// Prints `binnacle: message` on standard error and exits with `code`.
struct Failure: Error, CustomStringConvertible {
    var message: String
    var code: Int32 = 1
    var description: String { message }
}

enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("binnacle: " + message + "\n").utf8))
    }
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Runs a command body, turning known errors into a clear message and an exit code.
func running(failureCode: Int32 = 1, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as Failure {
        Console.error(e.message)
        throw ExitCode(e.code)
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
/// it and then failed, the file is removed again: a failed import leaves nothing behind.
func creatingInventory<T>(at path: String, _ body: (Inventory) throws -> T) throws -> T {
    let existed = FileManager.default.fileExists(atPath: path)
    do {
        return try body(try Inventory(path: path, mode: .create))
    } catch {
        if !existed { Inventory.removeFiles(path) }
        throw error
    }
}
