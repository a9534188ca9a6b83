import TerminalUI

extension Dashboard {
    /// Runs until the user quits or `shouldStop` says so (a signal): draw, wait up to 250 ms for a key
    /// (20 ms while background work runs), and every 2 s poll the database for writes from other
    /// processes. Keys and results go through `update`; the effects it returns (reads, writes,
    /// background work) run here; `view` draws.
    public func run(on terminal: Terminal, shouldStop: () -> Bool, clock: () -> Double) {
        var lastPoll = clock()
        var dirty = true
        while !shouldStop() {
            if dirty {
                let size = terminal.size
                terminal.draw(render(width: size.width, height: size.height))
                dirty = false
            }
            // While background work runs, its results are drawn within a few frames, not a quarter second.
            if var key = terminal.readKey(timeoutMilliseconds: isLoading ? 20 : 250) {
                // Keys already waiting (typing, a held arrow) are all handled before the next frame.
                while true {
                    if !handle(key) { return }
                    if let text = takeClipboard() { terminal.copyToClipboard(text) }
                    guard let next = terminal.readKey(timeoutMilliseconds: 0) else { break }
                    key = next
                }
                dirty = true
            }
            if collectBackground() { dirty = true }
            if clock() - lastPoll >= 2 {
                lastPoll = clock()
                if pollForChanges() { dirty = true }
            }
        }
    }
}
