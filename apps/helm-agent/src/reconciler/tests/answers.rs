//! AP §11h as a property of the whole tick: over any sequence of failed or
//! malformed resources answers (transport errors, non-2xx, undecodable
//! bodies, a 304 without a cached body), nothing is uninstalled and nothing
//! is posted; the first good answer that omits the deployment uninstalls it,
//! exactly once.

use distr_ports::agent::Resources;
use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
enum Bad {
    Transport,
    Status(u16),
    Malformed,
    NotModifiedWithoutCache,
}

impl Bad {
    fn answer(&self) -> Result<Resources, HubError> {
        match self {
            Self::Transport => Err(HubError::Transport("timed out".into())),
            Self::Status(code) => Err(HubError::Status {
                code: *code,
                text: "Error".into(),
                body: String::new(),
            }),
            Self::Malformed => Err(HubError::Malformed("version.id is not a uuid".into())),
            Self::NotModifiedWithoutCache => Ok(Resources::NotModified),
        }
    }
}

fn bad() -> impl Strategy<Value = Bad> {
    prop_oneof![
        Just(Bad::Transport),
        (400u16..600).prop_map(Bad::Status),
        Just(Bad::Malformed),
        Just(Bad::NotModifiedWithoutCache),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn only_a_good_answer_uninstalls(answers in prop::collection::vec(bad(), 1..8)) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        runtime.block_on(async {
            let h = Harness::new();
            let web = helm_deployment("web");
            h.installed(&web, 1);
            h.desire(&[]);
            for answer in &answers {
                h.hub.push_resources_answer(answer.answer());
                assert_eq!(h.tick().await, None, "{answer:?} is not a desired state");
                assert!(h.helm.calls().is_empty(), "uninstalled after {answer:?}");
                assert_eq!(h.kube.records(NS).len(), 1);
            }
            assert!(h.hub.statuses().is_empty());
            assert_eq!(h.tick().await, Some(TickOutcome::Reconciled));
            assert_eq!(h.helm.calls(), vec![HelmCall::Uninstall(NS.into(), "web".into())]);
            assert!(h.kube.records(NS).is_empty());
        });
    }
}
