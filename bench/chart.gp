# Bar chart of the timed rows of bench/results/latest.json. bench/run.py runs
#   gnuplot -e "datafile='...'; outfile='...'; floor_us=..." bench/chart.gp
# on a data file of lines: "key" xen_us xenon_us (NaN where missing).
set terminal pngcairo size 1280,720 font "sans,10"
set output outfile
set title "Xenon vs Xen 4.17 under QEMU -icount shift=0: virtual time per scenario (log scale, lower is better)" noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 10
set yrange [0.001:20000000]
set ytics ("1 ns" 0.001, "10 ns" 0.01, "100 ns" 0.1, "1 µs" 1, "10 µs" 10, \
           "100 µs" 100, "1 ms" 1000, "10 ms" 10000, "100 ms" 100000, \
           "1 s" 1000000, "10 s" 10000000)
set ylabel "virtual time (1 ns = 1 emulated instruction)"
set grid ytics
set xtics rotate by -35 left nomirror noenhanced
set key top left
set bmargin 8
if (floor_us > 0) {
    set arrow from graph 0, first floor_us to graph 1, first floor_us nohead dt 2 lw 1.5 lc rgb "#555555"
}
floor_title = sprintf("trap floor, no hypervisor: %g ns per HVC", floor_us * 1000)
plot datafile using 2:xtic(1) title "Xen 4.17" lc rgb "#d95f02", \
     '' using 3 title "Xenon" lc rgb "#1b9e77", \
     NaN with lines dt 2 lw 1.5 lc rgb "#555555" title floor_title
