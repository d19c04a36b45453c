# Sourced by scripts/demo.sh with the evaluation fixtures loaded (issue 4: plan changes, tracking cohort).
step "Early family-finding cohort (Oct 2015 - Mar 2016) at the census on 30 September 2016" \
  journeys tracking-cohort --from 2015-10-01 --to 2016-03-31 --census 2016-09-30 --la 825
step "Why adoption plans changed in 2015-16 (Buckinghamshire)" \
  journeys plan-changes --from 2015-04-01 --to 2016-03-31 --la 825
