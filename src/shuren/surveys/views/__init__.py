"""Pages of surveys: ``console`` (staff: drafting, opening and closing, results with charts, the
export, paper forms), ``portal`` (residents: the surveys that ask them, answering, their answers and
published results)."""
