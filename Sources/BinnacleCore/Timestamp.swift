#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds since the Unix epoch, from the system clock (no Foundation in the core).
public enum UnixTime {
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// A UTC instant as stored: `YYYY-MM-DDTHH:MM:SS.sssZ`. Always millisecond precision, so that
/// text order is time order and `stamp < "D+1"` means "dated on or before D".
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let text: String

    /// The day this instant falls on (UTC). Text that is not a stored instant (written around
    /// Binnacle, with raw SQL) reads as 0001-01-01 rather than stopping the program.
    public var day: Day { Day(text.prefix(10)) ?? Day(daysSinceEpoch: Day.storableRange.lowerBound) }

    /// Midnight UTC at the start of `day`.
    public init(day: Day) { text = day.description + "T00:00:00.000Z" }

    public init(day: Day, hour: Int, minute: Int, second: Int, millisecond: Int = 0) {
        let (y, mo, d) = day.civil
        // Built digit by digit: this runs once per imported row.
        text = String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int, _ at: Int, _ width: Int) {
                var v = value
                for k in stride(from: at + width - 1, through: at, by: -1) { out[k] = UInt8(48 + v % 10); v /= 10 }
            }
            put(y, 0, 4); out[4] = 45; put(mo, 5, 2); out[7] = 45; put(d, 8, 2); out[10] = 84
            put(hour, 11, 2); out[13] = 58; put(minute, 14, 2); out[16] = 58; put(second, 17, 2); out[19] = 46
            put(millisecond, 20, 3); out[23] = 90
            return 24
        }
    }

    /// Milliseconds since the epoch; nil outside the storable years (`Day.storableYears`).
    public init?(checkedUnixMilliseconds ms: Int64) {
        let limit = Int64(Day.storableRange.upperBound + 1) * 86_400_000
        guard ms >= Int64(Day.storableRange.lowerBound) * 86_400_000, ms < limit else { return nil }
        self.init(unixMilliseconds: ms)
    }

    /// Milliseconds since the epoch, which must be within the storable years (a clock reading is).
    public init(unixMilliseconds ms: Int64) {
        let days = Int((Double(ms) / 86_400_000).rounded(.down))
        var rest = Int(ms - Int64(days) * 86_400_000)
        let millisecond = rest % 1000; rest /= 1000
        self.init(day: Day(daysSinceEpoch: days), hour: rest / 3600, minute: rest / 60 % 60,
                  second: rest % 60, millisecond: millisecond)
    }

    public static func now() -> Timestamp {
        Timestamp(unixMilliseconds: Int64((UnixTime.now() * 1000).rounded(.down)))
    }

    /// Accepts a bare date `YYYY-MM-DD` (midnight UTC) or an ISO 8601 date-time in UTC:
    /// `YYYY-MM-DDTHH:MM[:SS[.fraction]]Z` (a space may stand for the `T`; `+00:00` for the `Z`).
    /// Other offsets are converted to UTC; nil when the instant falls outside `Day.storableYears` in UTC.
    public init?(parsing input: some StringProtocol) {
        var text = String(input), outside = false
        guard let parsed = text.withUTF8({ Timestamp.parse($0, outside: &outside) }) else { return nil }
        self = parsed
    }

    /// Why `text` is not an instant `init(parsing:)` accepts, as every reader words it (`'…' is …`).
    public static func problem(_ text: String) -> String {
        var copy = text, outside = false
        _ = copy.withUTF8 { Timestamp.parse($0, outside: &outside) }
        return "'\(text)' " + (outside ? Day.outsideYears + " (in UTC)"
                                      : "is not a date (YYYY-MM-DD) or UTC date-time (YYYY-MM-DDTHH:MM:SSZ)")
    }

    /// `outside` is set when the text is well formed but its instant is outside the storable years.
    private static func parse(_ b: UnsafeBufferPointer<UInt8>, outside: inout Bool) -> Timestamp? {
        guard b.count >= 10, let day = Day(bytes: b, prefix: true) else { return nil }
        if b.count == 10 {
            guard day.isStorable else { outside = true; return nil }
            return Timestamp(day: day)
        }
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), b.count >= 16,
              b[13] == UInt8(ascii: ":"),
              let hour = Day.digits(b, 11, 2), let minute = Day.digits(b, 14, 2), hour < 24, minute < 60
        else { return nil }
        var i = 16
        var second = 0, millisecond = 0
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard b.count >= i + 3, let s = Day.digits(b, i + 1, 2), s < 60 else { return nil }
            second = s
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                var digits = 0, scale = 100
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    if digits < 3 { millisecond += Int(b[i] - 48) * scale; scale /= 10 }
                    digits += 1; i += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        var offsetMinutes = 0
        if i == b.count - 1, b[i] == UInt8(ascii: "Z") {
            // UTC
        } else if b.count - i == 6, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: ":"),
                  let oh = Day.digits(b, i + 1, 2), let om = Day.digits(b, i + 4, 2), oh < 24, om < 60 {
            offsetMinutes = (oh * 60 + om) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
        } else {
            return nil
        }
        if offsetMinutes == 0 {
            guard day.isStorable else { outside = true; return nil }
            return Timestamp(day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
        }
        let local = Int64(day.daysSinceEpoch) * 86_400_000 + Int64(((hour * 60 + minute) * 60 + second) * 1000 + millisecond)
        guard let utc = Timestamp(checkedUnixMilliseconds: local - Int64(offsetMinutes) * 60_000) else { outside = true; return nil }
        return utc
    }

    /// The shortest faithful form for a bundle: a bare date at midnight, no zero milliseconds.
    public var bundleText: String {
        if text.hasSuffix("T00:00:00.000Z") { return String(text.prefix(10)) }
        if text.hasSuffix(".000Z") { return String(text.dropLast(5)) + "Z" }
        return text
    }

    public var description: String { text }
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.text < rhs.text }
}

extension Timestamp {
    /// Wraps text already in the stored form (read back from the database).
    public init(storedText: String) { text = storedText }
}
