import BinnacleCore

/// Runs the effects `update` asks for — the dashboard's only reads and writes — and turns what they
/// return into messages. Background work (deriving a date's lists, the 12-month trend) runs on its
/// own connections; its results are taken on the loop's thread (`takeBackground`).
final class EffectRunner {
    let source: PortfolioSource
    private(set) var background: Background?
    private var lastDataVersion: Int?

    init(source: PortfolioSource) {
        self.source = source
        lastDataVersion = try? source.dataVersion()
    }

    func startBackground() { background = source.backgroundReader().map(Background.init(reader:)) }

    func run(_ effect: Effect) -> [Msg] {
        switch effect {
        case .load(let token, let request): return [.pageLoaded(token: token, asOf: request.asOf, load(request))]
        case .queryLists(let token, let request):
            do {
                let lists = try request.kind.screen.lists(request, from: source)
                return [.listsQueried(token: token, key: request.key, lists, modelCount: lists.modelCount)]
            } catch {
                return [.listsQueried(token: token, key: request.key, PageLists(key: request.key, handles: [:], error: String(describing: error)),
                                      modelCount: nil)]
            }
        case .readRows(let token, let key, let list, let handle, let range):
            // A row that cannot be read stays blank: the range counts as read, so it is not asked for again.
            let rows = (try? handle.rows(range)) ?? []
            return [.rowsRead(token: token, key: key, list, RowCache(range: range, rows: rows))]
        case .prepare(let day, let force):
            if let background {
                background.start(.prepare(day, force: force))
                return []
            }
            do { try source.prepare(asOf: day, force: force) } catch { return [.failed(String(describing: error))] }
            return []
        case .checkCritical(let day):
            guard source.isPrepared(asOf: day), let now = try? source.criticalModels(asOf: day) else { return [] }
            return [.criticalModels(asOf: day, now)]
        case .complete(let text):
            let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let options = try? source.completions(for: parts[0], prefix: parts.count > 1 ? parts[1] : "", limit: 200)
            return [.completed(text: text, options: options.flatMap { $0 } ?? [])]
        case .export(let job):
            do {
                let done = try job.run()
                return [.exported(rows: done.rows, path: done.path)]
            } catch { return [.failed(String(describing: error))] }
        case .gather(let g, let asOf): return [.gathered(gather(g, asOf: asOf))]
        case .write(let w):
            do { return [.written(w, done: try write(w), refusal: nil)] } catch { return [.written(w, done: nil, refusal: String(describing: error))] }
        }
    }

    /// Notices writes from other processes (PRAGMA data_version).
    func databaseChanged() -> Bool {
        guard let version = try? source.dataVersion(), version != lastDataVersion else { return false }
        lastDataVersion = version
        return true
    }

    // MARK: - Reads

    private func load(_ r: LoadRequest) -> PageLoad {
        do {
            background?.focus(on: r.asOf)
            if r.kind.needsLists, !source.isPrepared(asOf: r.asOf) {
                if r.skipPrepare { return .unavailable }
                if let background {
                    // The overview's numbers need not wait for the lists: a first look reads them from the
                    // inventory in a fraction of the time, its trend comes next, the lists last.
                    if case .screen(.overview) = r.kind {
                        background.start(.firstLook(r.asOf, generation: r.generation))
                        background.start(.trend(r.asOf, generation: r.generation))
                    }
                    background.start(.prepare(r.asOf, force: false))
                    return .data(.preparing, critical: nil)
                }
                try source.prepare(asOf: r.asOf, force: false)
            }
            // The page's one read (the overview's trend is worked out in the background, when there is one).
            let (data, lists) = try r.kind.screen.load(r, from: source)
            if let background, case .screen(.overview) = r.kind { background.start(.trend(r.asOf, generation: r.generation)) }
            let critical = r.wantCritical && r.kind.needsLists ? try? source.criticalModels(asOf: r.asOf) : nil
            return .data(data, critical: critical, lists: lists)
        } catch {
            return .failed(String(describing: error))
        }
    }

    private func gather(_ g: Gather, asOf: Day) -> Gathered {
        switch g {
        case .assign(let modelId, let metric, let critical):
            return .assign(modelId: modelId, metric: metric, critical: critical,
                           summary: (try? source.modelSummary(id: modelId, asOf: asOf)) ?? nil,
                           logins: (try? source.activeLogins()) ?? [], openTasks: (try? source.openTasks(modelId: modelId)) ?? [])
        case .modelPeople(let modelId):
            return .modelPeople((try? source.modelSummary(id: modelId, asOf: asOf)) ?? nil, logins: (try? source.activeLogins()) ?? [])
        case .person(let login): return .person(login: login, ((try? source.person(asOf: asOf, login: login)) ?? nil)?.person)
        case .reassign(let taskId): return .reassign(taskId, logins: (try? source.activeLogins()) ?? [])
        }
    }

    // MARK: - Writes

    private func write(_ w: Write) throws -> String {
        switch w {
        case .assignTask(let modelId, let to, let due, let priority, let title):
            return try source.assignTask(modelId: modelId, to: to, due: due, priority: priority, title: title)
        case .setTaskStatus(let id, let status, let note): try source.setTaskStatus(id, to: status, note: note)
        case .approveDocument(let modelId, let kind, let version, let expires):
            try source.approveDocument(modelId: modelId, kind: kind, version: version, expires: expires)
        case .setStage(let modelId, let stage): try source.setStage(modelId: modelId, to: stage, note: "from the dashboard")
        case .changeModelPeople(let id, _, let owner, let developer, let validator):
            try source.changeModelPeople(id, businessOwner: owner, developer: developer, validator: validator)
        case .changePerson(let login, let role, let active, let roleChanged, let activeChanged):
            try source.changePerson(login, role: roleChanged ? role : nil, active: activeChanged ? active : nil)
        case .reassignTask(let id, let to): try source.reassignTask(id, to: to)
        case .evidencePack(let asOf, let path): return try source.writeEvidencePack(asOf: asOf, to: path)
        }
        return ""
    }
}
