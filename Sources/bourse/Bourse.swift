import ArgumentParser

@main
struct Bourse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bourse",
        abstract: "An exchange core: price-time matching with every order type a venue needs.",
        subcommands: [Serve.self, Run.self, Bench.self, WebSocketBench.self, Journal.self])
}
