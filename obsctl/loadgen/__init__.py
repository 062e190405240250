"""`obsctl loadgen`: small, bounded Converse traffic that fills the dashboards (gentle) or provokes
throttling (burst), with one attempt per call so throttles are observed rather than retried away."""
