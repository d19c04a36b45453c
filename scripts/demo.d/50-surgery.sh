# Sourced by scripts/demo.sh with the evaluation fixtures loaded (issue 5: deadlines and the surgery).
step "Record an action agreed at the surgery" \
  journeys action add B0193 --la 825 --text "Book the placement order hearing" --owner "Team manager" --due 2016-03-24
step "The performance surgery agenda on 31 March 2016 (Buckinghamshire): overdue first" \
  journeys surgery --as-at 2016-03-31 --la 825
step "One child's milestones in full" journeys deadlines B0193 --la 825 --as-at 2016-03-31
