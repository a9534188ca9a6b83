/// A calendar day in UTC, counted from 1970-01-01. KPIs are computed "as of" a Day.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// The years the inventory holds: four digits, so stored text sorts as time and prints back as
    /// read. Every reader refuses a date outside them (after conversion to UTC).
    public static let storableYears = 1...9999

    /// 0001-01-01 … 9999-12-31 in days since the epoch.
    static let storableRange = -719_162...2_932_896

    /// Whether this day is one the inventory can hold (see `storableYears`).
    public var isStorable: Bool { Day.storableRange.contains(daysSinceEpoch) }

    /// Days from civil date (Howard Hinnant's algorithm), valid for any proleptic Gregorian date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = era * 146097 + doe - 719468
    }

    /// Parses exactly `YYYY-MM-DD` (years 0001–9999).
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let day = text.withUTF8({ Day(bytes: $0) }), day.isStorable else { return nil }
        self = day
    }

    /// Why `text` is not a date `Day(_:)` accepts, as every reader words it (`'…' is …`).
    public static func problem(_ text: String) -> String {
        var copy = text
        let shaped = copy.withUTF8 { Day(bytes: $0) } != nil
        return "'\(text)' " + (shaped ? Day.outsideYears : "is not a date (YYYY-MM-DD)")
    }

    static let outsideYears = "is outside the years 0001–9999"

    /// Parses `YYYY-MM-DD` from the start of `bytes`, which must hold exactly that unless `prefix`.
    /// Year 0000 is parsed (callers check `isStorable`), so that a problem can say what is wrong.
    init?(bytes: UnsafeBufferPointer<UInt8>, prefix: Bool = false) {
        guard bytes.count == 10 || (prefix && bytes.count > 10), bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = Day.digits(bytes, 0, 4), let m = Day.digits(bytes, 5, 2), let d = Day.digits(bytes, 8, 2)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var civil: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD`
    public var description: String {
        let (y, m, d) = civil
        return Day.pad(y, 4) + "-" + Day.pad(m, 2) + "-" + Day.pad(d, 2)
    }

    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }
    public static func - (lhs: Day, rhs: Day) -> Int { lhs.daysSinceEpoch - rhs.daysSinceEpoch }
    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// The first day of a window of `length` days that ends on (and includes) this day.
    public func windowStart(days length: Int) -> Day { adding(days: -(length - 1)) }

    /// The last day of this day's month.
    public var monthEnd: Day {
        let (y, m, _) = civil
        return Day(year: y, month: m, day: Day.daysIn(month: m, year: y))!
    }

    /// The last day of the previous month.
    public var previousMonthEnd: Day {
        let (y, m, _) = civil
        return Day(year: y, month: m, day: 1)!.adding(days: -1)
    }

    /// The `count` most recent month-end dates on or before this day, oldest first.
    public func monthEnds(count: Int) -> [Day] {
        var ends: [Day] = []
        var end = monthEnd == self ? self : previousMonthEnd
        while ends.count < count {
            ends.append(end)
            end = end.previousMonthEnd
        }
        return ends.reversed()
    }

    /// Adds calendar months, clamping the day to the target month's length.
    public func adding(months: Int) -> Day {
        let (y, m, d) = civil
        let index = y * 12 + (m - 1) + months
        let (ny, nm) = (index >= 0 ? index / 12 : (index - 11) / 12, ((index % 12) + 12) % 12 + 1)
        return Day(year: ny, month: nm, day: min(d, Day.daysIn(month: nm, year: ny)))!
    }

    public static func today() -> Day {
        Day(daysSinceEpoch: Int((UnixTime.now() / 86_400).rounded(.down)))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            let b = bytes[i]
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
