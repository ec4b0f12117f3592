// The library as one import for the command line: its layers, from the bottom up
// (docs/architecture.md).
@_exported import RouteSimAnalysis
@_exported import RouteSimEngine
@_exported import RouteSimModel
@_exported import RouteSimOutput
@_exported import RouteSimStatistics
