export default function AuditPage() { return <div>audit</div>; }
