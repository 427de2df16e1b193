export default function TokensPage() { return <div>tokens</div>; }
