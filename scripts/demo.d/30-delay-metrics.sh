# Sourced by scripts/demo.sh with the evaluation fixtures loaded (issue 3: delay metrics).
step "Tables 1 and 2: adoption scorecard 2012-15, side by side" \
  journeys scorecard --period 2012-15 --la 825 --la 928
step "Tables 3 and 4: placement-order cohorts at the census on 30 September 2016" \
  journeys cohort --by po-year --census 2016-09-30 --la 825 --la 928
step "Table 3: POs made October 2015 - March 2016 (the tracking period)" \
  journeys cohort --census 2016-09-30 --from 2015-10-01 --to 2016-03-31 --la 825
step "Where the delay is: stages for children adopted 2012-15" \
  journeys stages --period 2012-15 --la 825 --la 928
step "The read model behind the reports" journeys projections status
