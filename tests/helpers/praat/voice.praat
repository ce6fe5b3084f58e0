form Measure
  sentence file
endform
sound = Read from file: file$
dur = Get total duration
pitch1 = To Pitch: 0, 50, 800
q1 = Get quantile: 0, 0, 0.25, "Hertz"
q3 = Get quantile: 0, 0, 0.75, "Hertz"
selectObject: sound
pitch2 = To Pitch: 0, q1 * 0.75, q3 * 1.5
median = Get quantile: 0, 0, 0.5, "Hertz"
p16 = Get quantile: 0, 0, 0.16, "Hertz"
p84 = Get quantile: 0, 0, 0.84, "Hertz"
voiced = Count voiced frames
selectObject: sound
intensity = To Intensity: 100, 0, "yes"
grid = To TextGrid (silences): -25, 0.1, 0.05, "silent", "sounding"
n = Get number of intervals: 1
sounding = 0
for i to n
  label$ = Get label of interval: 1, i
  if label$ = "sounding"
    t0 = Get start time of interval: 1, i
    t1 = Get end time of interval: 1, i
    sounding = sounding + t1 - t0
  endif
endfor
writeInfoLine: "{""duration"":", fixed$(dur, 4), ",""median_f0"":", fixed$(median, 3), ",""p16"":", fixed$(p16, 3), ",""p84"":", fixed$(p84, 3), ",""voiced_frames"":", voiced, ",""sounding"":", fixed$(sounding, 4), "}"
