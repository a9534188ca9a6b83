@testable import BinnacleApp
import BinnacleCore
@testable import BinnacleStore
import Foundation
import Testing

/// Issue 14's fixes: `:domain` and `:alerts` filter the Alerts screen (not jump to Models), and a Risk
/// section's count is that of the rows it shows under a `/` filter.
@Suite struct ScreenFilterFixTests {
    @Test func domainAndAlertsFilterTheAlertsScreen() throws {
        let d = try DashboardFixture.dashboard()
        let all = try DashboardFixture.inventory.alerts(asOf: DashboardFixture.asOf)
        let domain = try #require(try DashboardFixture.inventory.domains().first { name in
            try !DashboardFixture.inventory.alerts(asOf: DashboardFixture.asOf, domain: name).isEmpty
        })
        let inDomain = try DashboardFixture.inventory.alerts(asOf: DashboardFixture.asOf, domain: domain)
        _ = d.handle(.character("3"))
        _ = d.render(width: 120, height: 40)
        #expect(d.page.lists?.handles[.alerts]?.count == all.count)

        d.run(command: "alerts critical")
        var text = d.render(width: 120, height: 40).text
        #expect(d.page.kind == .screen(.alerts) && text.contains("Alerts (alerts critical)"))
        #expect(d.page.lists?.handles[.alerts]?.count == all.filter { $0.severity == .critical }.count)
        #expect(!text.contains("warning  "))

        d.run(command: "alerts any")
        d.run(command: "domain \(domain)")
        text = d.render(width: 120, height: 40).text
        #expect(d.page.kind == .screen(.alerts) && text.contains("Alerts (domain \(domain))"))
        #expect(d.page.lists?.handles[.alerts]?.count == inDomain.count)

        _ = d.handle(.escape)                        // clears the filters, stays on Alerts
        _ = d.render(width: 120, height: 40)
        #expect(d.page.kind == .screen(.alerts) && d.page.modelFilter.isEmpty && d.page.lists?.handles[.alerts]?.count == all.count)

        // Elsewhere they still open the Models screen filtered.
        _ = d.handle(.character("1"))
        d.run(command: "domain \(domain)")
        #expect(d.page.kind == .screen(.models) && d.page.modelFilter.domain == domain)
    }

    @Test func riskSectionCountsAreOfTheRowsShownUnderAFilter() {
        let source = RecordingSource()
        let d = Dashboard(source: source, asOf: source.asOf, today: source.asOf, theme: .monochrome, symbols: .unicode)
        d.run(command: "tag pii")
        let before = d.render(width: 120, height: 40).text
        #expect(before.contains("at any depth (1)") && before.contains("within 30 days (1)"), "\(before)")
        for key in "/sanctions" { _ = d.handle(.character(key)) }
        _ = d.handle(.enter)
        let after = d.render(width: 120, height: 40).text
        #expect(after.contains("at any depth (0 of 1 matching)") && after.contains("(0 of 1 matching)"), "\(after)")
        #expect(!after.contains("Model m3"))
    }
}
