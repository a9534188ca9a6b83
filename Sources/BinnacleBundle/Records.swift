import BinnacleCore

/// Every record a bundle can hold, in the order files are read (references point backwards).
public enum BundleRecord: Sendable {
    case manifest(Manifest)
    case person(Person)
    case model(Model)
    case asset(Asset)
    case stage(StageChange)
    case value(ValueRecord)
    case document(Document)
    case monitor(Monitor)
    case observation(Observation)
    case lineage(LineageEdge)
    case task(RemediationTask)
    case audit(AuditRecord)
}

extension Manifest {
    public static let format = "binnacle-bundle/1"
}
