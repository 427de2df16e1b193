export default function SettingsPage() { return <div>settings</div>; }
